// Adds "上传图片" next to each rich-text editor: the image is uploaded to the server,
// checked and re-encoded there, and inserted into the body at the cursor with the 图片说明
// (alt text) the editor typed: readers who cannot see the picture hear or read it instead.
// With a 图注 (caption) it goes in as <figure><img><figcaption>, shown under the picture.
(function () {
  "use strict";
  // A text box inside its label, so the label names it without an id.
  function textField(labelText, className, maxLength, placeholder) {
    var label = document.createElement("label");
    label.textContent = labelText;
    var input = document.createElement("input");
    input.type = "text";
    input.maxLength = maxLength;
    input.className = className;
    input.placeholder = placeholder;
    label.append(input);
    return { label: label, input: input };
  }
  document.addEventListener("prose-editor:ready", function (event) {
    var url = window.xinwenEditor.setting("uploadUrl");
    var editor = event.detail.editor;
    var textarea = event.detail.textarea;
    if (!url || !editor || textarea.dataset.xwUpload) return;
    textarea.dataset.xwUpload = "1";
    var bar = document.createElement("div");
    bar.className = "xw-upload";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "上传图片到正文";
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/jpeg,image/png,image/gif,image/webp";
    input.hidden = true;
    var altField = textField("图片说明（必填）：", "xw-upload-alt", 200, "如：签约仪式现场");
    var alt = altField.input;
    var captionField = textField("图注（可选）：", "xw-upload-caption", 300, "显示在图片下方，如：签约仪式现场（摄影：张伟）");
    var caption = captionField.input;
    var status = document.createElement("span");
    status.className = "xw-upload-status";
    status.setAttribute("role", "status");
    bar.append(altField.label, captionField.label, button, input, status);
    // Below the editor, inside its form row (the editor itself sits in a flex row).
    var row = textarea.closest(".form-row") || textarea.parentElement;
    row.append(bar);
    button.addEventListener("click", function () {
      if (!alt.value.trim()) {
        status.textContent = "请先填写图片说明：它告诉看不到图片的读者图上是什么。";
        alt.focus();
        return;
      }
      input.click();
    });
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var data = new FormData();
      data.append("image", input.files[0]);
      data.append("alt", alt.value.trim());
      status.textContent = "正在上传…";
      window.xinwenEditor.post(url, data, "上传失败")
        .then(function (answer) {
          var image = { type: "image", attrs: { src: answer.url, alt: answer.alt || "" } };
          var text = caption.value.trim();
          if (text) {
            // Nodes, not HTML: the caption is text whatever characters it holds.
            editor.chain().focus().insertContent({
              type: "figure",
              content: [image, { type: "caption", content: [{ type: "text", text: text }] }],
            }).run();
          } else {
            editor.chain().focus().setImage(image.attrs).run();
          }
          status.textContent = "已插入图片。";
          alt.value = "";
          caption.value = "";
        })
        .catch(function (error) { status.textContent = "上传失败：" + error.message; })
        .finally(function () { input.value = ""; });
    });
  });
})();
