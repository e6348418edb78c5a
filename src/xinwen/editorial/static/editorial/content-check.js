// The 内容检查 panel while the editor types: the form's unsaved text is posted to the check URL
// (CHECK_MS after the last keystroke, and on 「检查」) and the panel is redrawn from the answer,
// 禁止发布 first. A click on a row marks the hit: in the body as a decoration of the rich-text
// editor (check-hits.js), in the other fields by selecting it. Without script the page shows the
// panel of the saved article; whether an article may go out is decided by the server alone.
(function () {
  "use strict";
  var CHECK_MS = 800;
  var FIELDS = ["title", "subtitle", "summary", "source_name", "author", "editor"];
  // The editor may be ready before or after the page is: keep it, and tell the panel when it is.
  var bodyEditor = null;
  var editorReady = function () {};
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name !== "body") return;
    bodyEditor = event.detail.editor;
    editorReady();
  });

  function start() {
    var form = document.getElementById("article_form");
    var panel = document.getElementById("content-check");
    var url = window.xinwenEditor.setting("checkUrl");
    if (!form || !panel || !url) return;
    var body = panel.querySelector(".xw-content-check-body");
    var editor = bodyEditor; // the body's rich-text editor, once it is ready
    var findings = [];
    var checked = {}; // field name → the text the findings' offsets refer to
    var sequence = 0;
    var timer = null;

    var bar = document.createElement("div");
    bar.className = "xw-content-check-bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "检查";
    var status = document.createElement("span");
    status.className = "xw-content-check-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    bar.append(button, status);
    panel.querySelector("h2").after(bar);

    // The panel sits below the whole form; the counts also stand under the body, where the
    // editor types, with a link down to the rows (the body's hits are underlined in place).
    var summary = document.createElement("p");
    summary.className = "xw-check-summary";
    summary.hidden = true;
    var bodyRow = form.querySelector(".form-row.field-body") || (form.elements.body && form.elements.body.closest(".form-row"));
    if (bodyRow) bodyRow.after(summary);

    function summarise(counts) {
      summary.textContent = "";
      summary.hidden = false;
      summary.classList.toggle("xw-check-summary--block", Boolean(counts && counts.block));
      if (!findings.length) {
        summary.textContent = "内容检查：未发现问题。";
        return;
      }
      var parts = [];
      if (counts.block) parts.push("禁止发布 " + counts.block + " 处");
      if (counts.confirm) parts.push("需要确认 " + counts.confirm + " 处");
      if (counts.note) parts.push("仅提示 " + counts.note + " 处");
      var link = document.createElement("a");
      link.href = "#content-check";
      link.textContent = "查看";
      summary.append("内容检查：" + parts.join("，") + "。", link);
    }

    function canMark() {
      return editor && editor.commands.showCheckHits && editor.storage.checkHits;
    }

    function bodyText() {
      return canMark() ? editor.storage.checkHits.bodyText(editor.state.doc).text : null;
    }

    function payload() {
      var fields = {};
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (field && "value" in field) fields[name] = field.value;
      });
      var text = bodyText();
      if (editor) fields.body = editor.getHTML();
      else if (form.elements.body && "value" in form.elements.body) fields.body = form.elements.body.value;
      var category = form.elements.category;
      return { fields: fields, body_text: text, category: category && category.value ? category.value : null };
    }

    function check() {
      clearTimeout(timer);
      var data = payload();
      var mine = ++sequence;
      status.textContent = "正在检查…";
      fetch(url, {
        method: "POST",
        body: JSON.stringify(data),
        headers: { "Content-Type": "application/json", "X-CSRFToken": window.xinwenEditor.csrfToken() },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
        })
        .then(function (result) {
          if (mine !== sequence) return; // a later check is on its way
          if (!result.ok) throw new Error(result.answer.error || "请保存后查看检查结果");
          checked = { body: data.body_text };
          FIELDS.forEach(function (name) { checked[name] = data.fields[name]; });
          findings = result.answer.findings;
          render(result.answer.counts);
          markBody(-1);
        })
        .catch(function (error) {
          if (mine === sequence) status.textContent = "检查失败：" + error.message;
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(check, CHECK_MS);
    }

    function cell(row, text) {
      var td = document.createElement("td");
      td.textContent = text;
      row.append(td);
      return td;
    }

    function render(counts) {
      body.textContent = "";
      summarise(counts);
      var when = new Date().toLocaleTimeString("zh-CN", { hour12: false });
      if (!findings.length) {
        var ok = document.createElement("p");
        ok.className = "xw-content-check-ok";
        ok.textContent = "未发现词库中的词语。";
        body.append(ok);
        status.textContent = "已检查当前内容（" + when + "，含未保存的修改）：未发现问题。";
        return;
      }
      status.textContent = "已检查当前内容（" + when + "，含未保存的修改）：禁止发布 " + counts.block +
        " 处，需要确认 " + counts.confirm + " 处，仅提示 " + counts.note + " 处。" +
        (counts.block ? "有「禁止发布」的词语时不能提交审核或发布。" : "");
      var table = document.createElement("table");
      var head = table.createTHead().insertRow();
      ["处理", "分类", "字段", "位置", "词语", "上下文"].forEach(function (name) {
        var th = document.createElement("th");
        th.textContent = name;
        head.append(th);
      });
      var tbody = table.createTBody();
      findings.forEach(function (f, index) {
        var row = tbody.insertRow();
        row.className = "xw-finding xw-finding--" + f.action;
        row.dataset.index = index;
        cell(row, f.action_label);
        cell(row, f.category);
        cell(row, f.field);
        cell(row, "第 " + f.position + " 字");
        var word = cell(row, "");
        var mark = document.createElement("mark");
        mark.textContent = f.text;
        word.append(mark);
        if (f.text !== f.word) word.append("（" + f.word + "）");
        if (f.name) {
          // A button too, so the row can be reached and pressed from the keyboard.
          var go = document.createElement("button");
          go.type = "button";
          go.className = "xw-finding-go";
          go.textContent = "定位";
          go.setAttribute("aria-label", "在「" + f.field + "」中定位「" + f.text + "」");
          word.append(" ", go);
          row.classList.add("xw-finding--linked");
        }
        cell(row, f.excerpt);
      });
      body.append(table);
    }

    function bodyRanges() {
      var ranges = [];
      var indices = [];
      findings.forEach(function (f, index) {
        if (f.name === "body") {
          ranges.push({ from: f.from, to: f.to });
          indices.push(index);
        }
      });
      return { ranges: ranges, indices: indices };
    }

    // Underline every hit of the body; `active` (an index into findings) is emphasised and selected.
    function markBody(active) {
      if (!canMark() || bodyText() !== checked.body) return false;
      var hits = bodyRanges();
      var at = hits.indices.indexOf(active);
      if (at < 0) return editor.commands.showCheckHits(hits.ranges, -1);
      return editor.chain().focus().showCheckHits(hits.ranges, at).run();
    }

    function show(index) {
      var f = findings[index];
      if (!f || !f.name) return;
      if (f.name === "body") {
        if (!markBody(index)) {
          status.textContent = "正文在检查后又有改动，正在重新检查，请稍后再点。";
          check();
        }
        return;
      }
      var field = form.elements[f.name];
      if (!field || !field.setSelectionRange) return;
      if (field.value !== checked[f.name]) {
        status.textContent = "「" + f.field + "」在检查后又有改动，正在重新检查，请稍后再点。";
        check();
        return;
      }
      field.focus();
      field.setSelectionRange(f.from, f.to);
      field.scrollIntoView({ block: "center" });
    }

    body.addEventListener("click", function (event) {
      var row = event.target.closest && event.target.closest("tr[data-index]");
      if (row) show(Number(row.dataset.index));
    });
    button.addEventListener("click", check);
    form.addEventListener("input", function (event) {
      if (event.target.closest && event.target.closest("#content-check")) return;
      schedule();
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "category") schedule();
    });
    editorReady = function () {
      editor = bodyEditor;
      check(); // the rows of the saved article become rows that can be clicked
    };
    if (editor) check();
    // A form whose body is no rich-text editor (read-only, or the editor failed) is checked as it is.
    else setTimeout(function () { if (!editor) check(); }, 3000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
