import type { Activity } from '../../activity.js';
import { ParseError } from '../../errors.js';
import type { ParseContext } from '../context.js';

/** Parses TCX text into one activity per `<Activity>`. */
export function parseTcx(_text: string, _ctx: ParseContext): Activity[] {
  throw new ParseError('INTERNAL', 'TCX parsing is not available yet', { format: 'tcx' });
}
