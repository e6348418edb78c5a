// "不转换" mark for the rich-text editor: wraps the selection in <span translate="no">,
// which the script conversion leaves exactly as written (names, brands, quotations).
import { Mark, mergeAttributes } from "django-prose-editor/editor"

export const NoConvert = Mark.create({
  name: "noConvert",

  parseHTML() {
    return [{ tag: 'span[translate="no"]' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["span", mergeAttributes(HTMLAttributes, { translate: "no" }), 0]
  },

  addCommands() {
    return {
      toggleNoConvert:
        () =>
        ({ commands }) =>
          commands.toggleMark(this.name),
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "noConvert",
      groups: "marks",
      button: buttons.text("不转换"),
      command(editor) {
        editor.chain().focus().toggleNoConvert().run()
      },
      active: (editor) => editor.isActive("noConvert"),
      enabled: (editor) => editor.can().toggleNoConvert(),
    })
  },
})
