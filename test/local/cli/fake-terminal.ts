import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

/** Moves the cursor to the first column: log-update ends each erase with it, right before drawing a frame. */
const FRAME_START = '\u001b[G';

/**
 * A stream that says it is a terminal `columns` wide, as stderr is on one, and what was drawn on it: listr2's
 * live renderer draws frames, each erasing the one before.
 */
export function fakeTerminal(columns = 120) {
  const stream = Object.assign(new PassThrough(), { isTTY: true as const, columns });
  let raw = '';
  stream.on('data', (chunk: Buffer) => {
    raw += chunk.toString();
  });
  return {
    stream,
    /** Everything written, escape codes included. */
    raw: () => raw,
    /** Everything written, without escape codes: every frame, one after the other. */
    text: () => stripVTControlCharacters(raw),
    /** The last frame drawn, without escape codes: what the terminal shows at the end. */
    lastFrame: () => stripVTControlCharacters(raw.slice(raw.lastIndexOf(FRAME_START) + FRAME_START.length)),
  };
}

/** Waits long enough for listr2's renderer to draw a frame (it redraws on a timer). */
export const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 120));
