import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/** Runs a change inside an audit event that records its outcome. */
export type Audited = <T>(
  eventId: string,
  req: Request,
  meta: JsonObject,
  change: () => Promise<T>,
) => Promise<T>;
