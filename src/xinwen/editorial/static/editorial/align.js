// 居中 / 居右 for paragraphs and headings, as the classes the body sanitiser allows
// (align-center, align-right; news/sanitize.py): the public pages' policy forbids style
// attributes, so alignment is a class, never style="text-align". Word and WPS paste
// (editor-paste.js) arrives with these classes on centred titles and 落款; without this
// extension the editor's schema would drop them the moment the body is loaded.
import { Extension } from "django-prose-editor/editor"

const CLASSES = ["align-center", "align-right"]
const TYPES = ["paragraph", "heading"]

export const AlignClass = Extension.create({
  name: "alignClass",

  addGlobalAttributes() {
    return [
      {
        types: TYPES,
        attributes: {
          align: {
            default: null,
            parseHTML: (element) => CLASSES.find((name) => element.classList.contains(name)) || null,
            renderHTML: (attributes) => (attributes.align ? { class: attributes.align } : {}),
          },
        },
      },
    ]
  },

  addCommands() {
    return {
      toggleAlignClass:
        (name) =>
        ({ editor, commands }) => {
          const value = editor.isActive({ align: name }) ? null : name
          return TYPES.map((type) => commands.updateAttributes(type, { align: value })).some(Boolean)
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    for (const [name, label] of [["align-center", "居中"], ["align-right", "居右"]]) {
      menu.defineItem({
        name: name,
        groups: "textAlign",
        button: buttons.text(label),
        command(editor) {
          editor.chain().focus().toggleAlignClass(name).run()
        },
        active: (editor) => editor.isActive({ align: name }),
      })
    }
  },
})
