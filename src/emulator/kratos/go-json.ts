/**
 * Parsing a request body with Go's error texts, which Kratos passes on: a `json.Decoder` on an empty body says
 * `EOF`, `json.Unmarshal` says `unexpected end of JSON input`, a stray character is `invalid character 'x' …`.
 */

export class GoJsonError extends Error {}

export function parseGoJson(text: string, reader: 'decoder' | 'unmarshal'): unknown {
  if (text.trim() === '') throw new GoJsonError(reader === 'decoder' ? 'EOF' : 'unexpected end of JSON input');
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const at = position ? Number(position[1]) : text.length;
    if (at >= text.trimEnd().length) throw new GoJsonError(reader === 'decoder' ? 'unexpected EOF' : 'unexpected end of JSON input');
    throw new GoJsonError(`invalid character '${text[at]}' looking for beginning of value`);
  }
}
