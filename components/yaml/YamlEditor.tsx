'use client';
// A CodeMirror 6 YAML editor that follows the console theme, marks syntax
// errors as you type and shows the server's complaints on their lines.
import { indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, indentService, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, forceLinting, lintGutter, linter } from '@codemirror/lint';
import { Annotation, Compartment, EditorState, StateEffect, StateField } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
// @lezer/highlight comes with @codemirror/language; its tags name what the YAML grammar marks.
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { currentTheme, subscribeTheme, type Theme } from '../shell/theme';
import { nextLineIndent } from './indent';
import { parseManifests } from './manifests';

export interface EditorDiagnostic {
  from: number;
  to: number;
  message: string;
  severity?: 'error' | 'warning' | 'info';
}

export interface YamlEditorProps {
  /** The text; when it changes from outside, the editor shows it (edits made here come back through onChange). */
  value: string;
  onChange?: (text: string) => void;
  /** Problems the server found, by character range in `value`. */
  diagnostics?: readonly EditorDiagnostic[];
  ariaLabel?: string;
  minHeight?: string;
}

/** Marks a transaction that replaced the text from outside, so it is not reported as an edit. */
const external = Annotation.define<boolean>();
/** Holds the theme-dependent extensions; a compartment is only a key, so editors can share it. */
const themeSlot = new Compartment();
const setServerDiagnostics = StateEffect.define<readonly EditorDiagnostic[]>();

/** The server's diagnostics, kept on their text while the user edits around them. */
const serverDiagnostics = StateField.define<readonly EditorDiagnostic[]>({
  create: () => [],
  update(value, tr) {
    // Ranges may come from a text one character shorter or longer than this one: clamp before mapping.
    const clamp = (n: number, len: number) => Math.max(0, Math.min(n, len));
    for (const e of tr.effects) {
      if (e.is(setServerDiagnostics)) return e.value.map((d) => ({ ...d, from: clamp(d.from, tr.state.doc.length), to: clamp(d.to, tr.state.doc.length) }));
    }
    if (!tr.docChanged || !value.length) return value;
    const len = tr.startState.doc.length;
    return value.map((d) => ({ ...d, from: tr.changes.mapPos(clamp(d.from, len)), to: tr.changes.mapPos(clamp(d.to, len), 1) }));
  },
});

function lintSource(view: EditorView): Diagnostic[] {
  const text = view.state.doc.toString();
  const len = text.length;
  const clamp = (n: number) => Math.max(0, Math.min(n, len));
  const syntax = parseManifests(text).problems.map<Diagnostic>((p) => ({ from: clamp(p.from ?? 0), to: clamp(p.to ?? 0), severity: 'error', message: p.message, source: 'YAML' }));
  const server = view.state.field(serverDiagnostics).map<Diagnostic>((d) => ({ from: clamp(d.from), to: clamp(Math.max(d.to, d.from)), severity: d.severity ?? 'error', message: d.message, source: 'Server' }));
  return [...syntax, ...server];
}

// Colours and fonts from PatternFly tokens, so light and dark follow the page.
const chrome = EditorView.theme({
  '&': {
    backgroundColor: 'var(--pf-t--global--background--color--primary--default)',
    color: 'var(--pf-t--global--text--color--regular)',
    border: '1px solid var(--pf-t--global--border--color--default)',
    borderRadius: 'var(--pf-t--global--border--radius--small, 4px)',
    fontSize: '0.875rem',
    maxHeight: '70vh',
  },
  '&.cm-focused': { outline: '2px solid var(--pf-t--global--border--color--clicked, #0066cc)', outlineOffset: '-1px' },
  '.cm-scroller': { fontFamily: 'var(--pf-t--global--font--family--mono)', lineHeight: '1.5', overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--pf-t--global--text--color--regular)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--pf-t--global--text--color--regular)' },
  '.cm-gutters': {
    backgroundColor: 'var(--pf-t--global--background--color--secondary--default)',
    color: 'var(--pf-t--global--text--color--subtle)',
    borderRight: '1px solid var(--pf-t--global--border--color--default)',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--pf-t--global--text--color--regular) 5%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--pf-t--global--text--color--regular) 8%, transparent)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--pf-t--global--background--color--floating--default, var(--pf-t--global--background--color--primary--default))',
    border: '1px solid var(--pf-t--global--border--color--default)',
    color: 'var(--pf-t--global--text--color--regular)',
  },
});

const lightHighlight = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: '#0b4f9c' },
  { tag: tags.string, color: '#a0390a' },
  { tag: [tags.lineComment, tags.comment], color: '#6a6e73', fontStyle: 'italic' },
  { tag: tags.meta, color: '#6753ac', fontWeight: 'bold' },
  { tag: [tags.typeName, tags.labelName], color: '#147878' },
  { tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace], color: '#6a6e73' },
  { tag: tags.keyword, color: '#6753ac' },
]);

const darkHighlight = HighlightStyle.define(
  [
    { tag: tags.definition(tags.propertyName), color: '#92c5f9' },
    { tag: tags.string, color: '#f8ae54' },
    { tag: [tags.lineComment, tags.comment], color: '#a3a3a3', fontStyle: 'italic' },
    { tag: tags.meta, color: '#b6a6e9', fontWeight: 'bold' },
    { tag: [tags.typeName, tags.labelName], color: '#9ad8d8' },
    { tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace], color: '#a3a3a3' },
    { tag: tags.keyword, color: '#b6a6e9' },
  ],
  { themeType: 'dark' },
);

/** Enter after "key:" indents one level, as people expect of a YAML editor (the grammar alone does not). */
const yamlIndent = indentService.of((cx, pos) => {
  const line = cx.lineAt(pos, -1);
  if (cx.simulatedBreak === pos || pos > line.from) return nextLineIndent(line.text.slice(0, pos - line.from));
  return line.from === 0 ? 0 : nextLineIndent(cx.lineAt(line.from - 1, -1).text);
});

// Built once: a theme made per switch would add a style sheet each time.
const lightExtensions = [EditorView.theme({}, { dark: false }), syntaxHighlighting(lightHighlight)];
const darkExtensions = [EditorView.theme({}, { dark: true }), syntaxHighlighting(darkHighlight)];
const themed = (theme: Theme) => (theme === 'dark' ? darkExtensions : lightExtensions);

export function YamlEditor({ value, onChange, diagnostics, ariaLabel = 'YAML editor', minHeight = '24rem' }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const theme = useSyncExternalStore(subscribeTheme, currentTheme, () => 'light' as Theme);

  useEffect(() => {
    onChangeRef.current = onChange;
  });

  // Created once; later changes of value, theme and diagnostics are dispatched to it.
  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          keymap.of([indentWithTab]),
          yaml(),
          indentUnit.of('  '),
          yamlIndent,
          EditorState.tabSize.of(2),
          // Long values (last-applied annotations, certificates) wrap instead of scrolling the whole text sideways.
          EditorView.lineWrapping,
          chrome,
          themeSlot.of(themed(currentTheme())),
          serverDiagnostics,
          // Lint again when the server's diagnostics change, not only when the text does.
          linter(lintSource, { delay: 300, needsRefresh: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(setServerDiagnostics))) }),
          lintGutter(),
          EditorView.contentAttributes.of({ 'aria-label': ariaLabel }),
          EditorView.theme({ '.cm-content, .cm-gutter': { minHeight } }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(external))) onChangeRef.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
    // The initial value only; the effects below keep it current.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ariaLabel, minHeight]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view || view.state.doc.toString() === value) return;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value }, annotations: external.of(true) });
  }, [value]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    view.dispatch({ effects: setServerDiagnostics.of(diagnostics ?? []) });
    forceLinting(view);
  }, [diagnostics]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: themeSlot.reconfigure(themed(theme)) });
  }, [theme]);

  return <div ref={host} className="kura-yaml-editor" data-testid="yaml-editor" />;
}
