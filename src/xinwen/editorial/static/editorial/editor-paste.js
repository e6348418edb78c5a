// Word and WPS paste: the editor's own paste would parse the clipboard with its schema and
// drop Word's list styles and alignment, leaving paragraphs that start with a stray "l".
// Office HTML goes to the server first (editorial/paste.py: the same cleaner every saved
// body goes through) and what comes back (real lists, 落款 on the right, centred titles,
// header rows, inline pictures stored on the site) is inserted where the cursor was.
// Any other paste is left to the editor.
(function () {
  "use strict";
  var OFFICE = /mso-|urn:schemas-microsoft-com|supportLists|data:image\//i;
  document.addEventListener("prose-editor:ready", function (event) {
    var url = window.xinwenEditor.setting("pasteUrl");
    var editor = event.detail.editor;
    var textarea = event.detail.textarea;
    if (!url || !editor || textarea.dataset.xwPaste) return;
    textarea.dataset.xwPaste = "1";
    var status = document.createElement("p");
    status.className = "xw-paste-status";
    status.setAttribute("role", "status");
    (textarea.closest(".form-row") || textarea.parentElement).append(status);
    // Capturing, so it runs before the editor's own paste handler and can take the event over.
    editor.view.dom.addEventListener("paste", function (e) {
      var html = e.clipboardData ? e.clipboardData.getData("text/html") : "";
      if (!html || !OFFICE.test(html)) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      var range = { from: editor.state.selection.from, to: editor.state.selection.to };
      var data = new FormData();
      data.append("html", html);
      status.textContent = "正在整理从 Word/WPS 粘贴的内容…";
      window.xinwenEditor.post(url, data, "粘贴失败。")
        .then(function (answer) {
          // Whitespace between the table's tags is layout, not content: kept, it would become empty rows.
          editor.chain().focus().insertContentAt(range, answer.html, { parseOptions: { preserveWhitespace: false } }).run();
          var problems = answer.problems || [];
          status.textContent = problems.length ? problems.join(" ") : "已按 Word/WPS 的结构粘贴：列表、对齐和表头都已保留。";
        })
        .catch(function (error) {
          status.textContent = error.message + " 内容没有粘贴，可以再试一次。";
        });
    }, true);
  });
})();
