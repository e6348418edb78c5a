// The rich-text editor in Chinese: its toolbar, menus and dialogs carry English labels (some
// through gettext, most as plain strings), so every label, title and aria-label under the
// editor and its dialogs is looked up here as it appears. A string not in the table stays
// as it is. Classic script, loaded before the editor's modules, no inline script (CSP).
(function () {
  "use strict";
  var ZH = {
    "bold": "加粗", "italic": "斜体", "underline": "下划线", "strike": "删除线",
    "subscript": "下标", "superscript": "上标", "undo": "撤销", "redo": "重做",
    "paragraph": "正文段落", "Paragraph": "正文段落", "blockquote": "引用",
    "horizontal rule": "分隔线", "figure": "插图", "unordered list": "项目符号列表",
    "ordered list": "编号列表", "List properties": "列表属性", "insert link": "插入链接",
    "remove link": "取消链接", "edit HTML": "编辑 HTML", "Edit HTML": "编辑 HTML",
    "Prettify": "整理格式", "Code": "代码", "Code block": "代码块",
    "left": "左对齐", "center": "居中", "right": "右对齐", "justify": "两端对齐",
    "Toggle fullscreen": "全屏编辑", "Insert table": "插入表格", "Insert Table": "插入表格",
    "Table Properties": "表格属性", "Rows": "行数", "Columns": "列数",
    "Include header row": "包含表头行", "Add column": "插入列", "Delete column": "删除列",
    "Add row": "插入行", "Delete row": "删除行", "Merge cells": "合并单元格",
    "Split cell": "拆分单元格", "Toggle header cell": "切换表头单元格", "Delete table": "删除表格",
    "Update": "确定", "Insert": "插入", "Cancel": "取消", "URL": "网址", "Title": "标题",
    "Open in new window": "在新窗口打开", "Edit Link": "编辑链接", "Image URL": "图片网址",
    "Alternative Text": "替代文字", "Caption": "图片说明", "Edit Figure": "编辑插图",
    "Insert Figure": "插入插图", "Edit Image": "编辑图片", "Add caption": "添加说明",
    "Remove caption": "删除说明", "Browse...": "浏览…", "Start at": "起始编号",
    "List type": "编号样式", "Bullets": "圆点", "Decimal numbers": "数字",
    "Lowercase letters": "小写字母", "Uppercase letters": "大写字母",
    "Lowercase Roman numerals": "小写罗马数字", "Uppercase Roman numerals": "大写罗马数字",
    "Block style": "段落样式", "Reset all classes": "清除样式", "Styles": "样式",
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
      "编辑器中的 HTML 内容。保存时只保留允许的标签和属性。"
  };
  var HEADING = /^heading (\d)$/i;
  var SCOPE = ".prose-editor, .prose-menubar, dialog, .prose-editor-dialog";

  function word(text) {
    var key = text.trim();
    if (Object.prototype.hasOwnProperty.call(ZH, key)) return text.replace(key, ZH[key]);
    var heading = HEADING.exec(key);
    return heading ? "标题 " + heading[1] : null;
  }

  function translateElement(el) {
    ["title", "aria-label", "placeholder"].forEach(function (name) {
      var value = el.getAttribute(name);
      var zh = value && word(value);
      if (zh) el.setAttribute(name, zh);
    });
    // Leaf text only: a button's text is a Material icon's ligature name ("format_bold"), never in the table.
    if (el.classList.contains("material-icons")) return;
    el.childNodes.forEach(function (node) {
      if (node.nodeType !== 3) return;
      var zh = word(node.nodeValue);
      if (zh) node.nodeValue = zh;
    });
  }

  function translate(root) {
    if (root.nodeType !== 1) return;
    var inScope = root.closest(SCOPE);
    if (inScope && !root.closest(".ProseMirror[contenteditable]")) translateElement(root);
    root.querySelectorAll(inScope ? "*" : SCOPE).forEach(function (scope) {
      [scope].concat(Array.prototype.slice.call(scope.querySelectorAll("*"))).forEach(function (el) {
        if (!el.closest(".ProseMirror[contenteditable]")) translateElement(el);
      });
    });
  }

  var observer = new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") translate(record.target);
      else record.addedNodes.forEach(translate);
    });
  });
  observer.observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["title", "aria-label"]
  });
  document.addEventListener("DOMContentLoaded", function () { translate(document.body); });
})();
