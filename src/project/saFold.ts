import {
  evolve,
  fromSnapshot,
  initialState,
  toSnapshot,
  type FoldSettings,
  type RouterState,
} from '../domain/sa/index.js';
import type { RouterFold } from './fold.js';

/** The SA lifecycle fold of src/domain as the projector drives it. */
export function saFold(settings: Partial<FoldSettings> = {}): RouterFold<RouterState> {
  return {
    initial: (router) => initialState(router, { settings }),
    evolve,
    snapshot: toSnapshot,
    restore: fromSnapshot,
  };
}
