import type { Activity } from '../../activity.js';
import { ParseError } from '../../errors.js';
import type { ParseContext } from '../context.js';

/** Parses GPX 1.0/1.1 text into one activity per track. */
export function parseGpx(_text: string, _ctx: ParseContext): Activity[] {
  throw new ParseError('INTERNAL', 'GPX parsing is not available yet', { format: 'gpx' });
}
