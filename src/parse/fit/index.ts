import type { Activity } from '../../activity.js';
import { ParseError } from '../../errors.js';
import type { ParseContext } from '../context.js';

/** Parses a FIT file (possibly chained) into one activity per session. */
export async function parseFit(_bytes: Uint8Array, _ctx: ParseContext): Promise<Activity[]> {
  throw new ParseError('INTERNAL', 'FIT parsing is not available yet', { format: 'fit' });
}
