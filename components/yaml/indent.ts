// Where the next line of YAML starts when the user presses Enter: one level
// deeper after "key:" (or a block scalar "key: |"), at the dash for the next
// item of a list of scalars, under the key for the next key of a list item.

/** Indentation (in columns) for a new line following `line` (the text before the cursor). */
export function nextLineIndent(line: string, unit = 2): number {
  const text = line.replace(/\s+#.*$/, '').trimEnd();
  const leading = /^ */.exec(text)![0].length;
  const afterDashes = /^ *(?:- +)*/.exec(text)![0].length;
  if (/:$/.test(text) || /: *[|>][-+0-9]*$/.test(text)) return afterDashes + unit;
  if (afterDashes > leading && !/^[^'"]*?: /.test(text.slice(afterDashes))) return leading;
  return afterDashes;
}
