// 内容检查 hits in the rich-text editor: the body's text as the content checks read it, and
// decorations over the hits (never part of the document, so never in the saved HTML).
// Loaded by the editor as an extension module (settings.DJANGO_PROSE_EDITOR_EXTENSIONS);
// editorial/static/editorial/content-check.js drives it through the editor's commands.
import { Extension, Plugin, pm } from "django-prose-editor/editor"

const { Decoration, DecorationSet } = pm.view
const key = new pm.state.PluginKey("xwCheckHits")

// The text of every text node, one line break between two of them: the saved markup has at
// least one tag there, which the server's HTML → text turns into a line break (a word split
// by a mark is found either way; a typo is not, as on saving). `runs` map it back.
export function bodyText(doc) {
  let text = ""
  const runs = []
  doc.descendants((node, pos) => {
    if (!node.isText) return true
    if (runs.length) text += "\n"
    runs.push({ at: text.length, pos, size: node.text.length })
    text += node.text
    return false
  })
  return { text, runs }
}

// A text offset (UTF-16, as in `bodyText`) → a document position; null outside the text.
function position(runs, offset, isEnd) {
  for (const run of runs) {
    const inside = isEnd ? run.at < offset && offset <= run.at + run.size : run.at <= offset && offset < run.at + run.size
    if (inside) return run.pos + (offset - run.at)
  }
  return null
}

function decorations(doc, ranges, active) {
  const { runs } = bodyText(doc)
  const found = []
  let selection = null
  ranges.forEach((range, index) => {
    const from = position(runs, range.from, false)
    const to = position(runs, range.to, true)
    if (from === null || to === null || to <= from) return
    const className = index === active ? "xw-check-hit" : "xw-check-mark"
    found.push(Decoration.inline(from, to, { class: className }))
    if (index === active) selection = { from, to }
  })
  return { set: DecorationSet.create(doc, found), selection }
}

export const CheckHits = Extension.create({
  name: "checkHits",

  addStorage() {
    return { bodyText }
  },

  addCommands() {
    return {
      // ranges: [{from, to}] in bodyText(doc).text; active: the index to select and scroll to, or -1.
      showCheckHits:
        (ranges, active = -1) =>
        ({ tr, dispatch }) => {
          const { set, selection } = decorations(tr.doc, ranges, active)
          if (active >= 0 && !selection) return false
          if (dispatch) {
            tr.setMeta(key, set)
            if (selection) {
              tr.setSelection(pm.state.TextSelection.create(tr.doc, selection.from, selection.to)).scrollIntoView()
            }
          }
          return true
        },
    }
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key,
        state: {
          init: () => DecorationSet.empty,
          // Typing moves the marks with the text until the next check replaces them.
          apply: (tr, set) => tr.getMeta(key) || set.map(tr.mapping, tr.doc),
        },
        props: {
          decorations: (state) => key.getState(state),
        },
      }),
    ]
  },
})
