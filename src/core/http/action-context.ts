import type { Principal } from '../auth/principal';
import type { RequestMeta } from './request-meta.decorator';

/** Who does something and through which request: recorded with every change. */
export interface ActionContext {
  principal: Principal;
  meta: RequestMeta;
}
