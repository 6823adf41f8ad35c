import {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  MAX_ONCALL_OVERRIDE_DAYS,
  MAX_REASON_LENGTH,
} from '@ownops/backstage-plugin-common';
import { JsonObject } from '@backstage/types';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { OnCallOverrideStore } from '../database/OnCallOverrideStore';
import { GroupMembers } from '../oncall/GroupMembers';
import { OnCallService } from '../oncall/OnCallService';
import { entityRefOfParts, parse } from './schemas';
import { Audited } from './audited';

const DAY_MS = 86_400_000;
const MAX_LIST_DAYS = 366;

const instant = (field: string) =>
  z.iso.datetime({
    offset: true,
    error: `${field} must be an ISO 8601 date-time such as 2026-12-01T09:00:00Z`,
  });

const createOverrideBody = z.strictObject({
  userRef: z
    .string({ error: 'userRef is required' })
    .max(255)
    .regex(/^user:[^/:\s]+\/[^/:\s]+$/i, {
      error: 'userRef must be a user ref such as user:default/alice',
    }),
  start: instant('start'),
  end: instant('end'),
  reason: z
    .string()
    .max(MAX_REASON_LENGTH, {
      error: `reason must be at most ${MAX_REASON_LENGTH} characters`,
    })
    .optional(),
});

const listOverridesQuery = z.strictObject({
  from: instant('from').optional(),
  to: instant('to').optional(),
});

const overrideId = z.coerce
  .number({ error: 'override id must be a number' })
  .int()
  .positive()
  .max(Number.MAX_SAFE_INTEGER);

export interface OnCallRoutesOptions {
  onCall: OnCallService;
  overrides: OnCallOverrideStore;
  members: GroupMembers;
  catalog: CatalogService;
  userInfo: UserInfoService;
  httpAuth: HttpAuthService;
  entityRefOf: (req: Request) => string;
  audited: Audited;
}

/** Who is on call for an entity, and on-call overrides per group. */
export function onCallRoutes(options: OnCallRoutesOptions): express.Router {
  const { onCall, overrides, members, catalog, userInfo, httpAuth, audited } =
    options;
  const router = Router();
  const readCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const userCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  const groupRefOf = (req: Request) => {
    const { namespace, name } = req.params;
    return entityRefOfParts(
      { kind: 'group', namespace, name },
      'group',
    ).toLocaleLowerCase('en-US');
  };

  /** The group, as the caller may see it; 404 otherwise. */
  async function visibleGroup(
    groupRef: string,
    credentials: Awaited<ReturnType<typeof readCredentials>>,
  ) {
    const group = await catalog.getEntityByRef(groupRef, { credentials });
    if (!group) throw new NotFoundError(`No group ${groupRef}`);
    return group;
  }

  /** 403 unless the caller's ownership refs include the group. */
  async function requireMember(
    groupRef: string,
    credentials: Awaited<ReturnType<typeof userCredentials>>,
  ) {
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    const isMember = ownershipEntityRefs.some(
      ref => ref.toLocaleLowerCase('en-US') === groupRef,
    );
    if (!isMember) {
      throw new NotAllowedError(
        `Only members of ${groupRef} may change its on-call overrides`,
      );
    }
  }

  router.get('/entities/:kind/:namespace/:name/oncall', async (req, res) => {
    const entityRef = options.entityRefOf(req);
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: await readCredentials(req),
    });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    // The provider call stops when the caller goes away.
    const controller = new AbortController();
    const onClose = () => {
      if (!res.writableEnded) controller.abort(new Error('Request closed'));
    };
    res.once('close', onClose);
    res.json(await onCall.forEntity(entity, new Date(), controller.signal));
  });

  router.get('/groups/:namespace/:name/oncall-overrides', async (req, res) => {
    const groupRef = groupRefOf(req);
    const query = parse(listOverridesQuery, req.query, 'query');
    await visibleGroup(groupRef, await readCredentials(req));
    const from = query.from ? new Date(query.from) : new Date();
    const to = query.to
      ? new Date(query.to)
      : new Date(from.getTime() + MAX_ONCALL_OVERRIDE_DAYS * DAY_MS);
    if (to.getTime() <= from.getTime()) {
      throw new InputError('Invalid query: to must be after from');
    }
    if (to.getTime() - from.getTime() > MAX_LIST_DAYS * DAY_MS) {
      throw new InputError(
        `Invalid query: from and to may be at most ${MAX_LIST_DAYS} days apart`,
      );
    }
    res.json({ items: await overrides.list(groupRef, from, to) });
  });

  router.post('/groups/:namespace/:name/oncall-overrides', async (req, res) => {
    const groupRef = groupRefOf(req);
    const { override } = await audited(
      'oncall-override-create',
      req,
      { groupRef, request: asJson(req.body) },
      async () => {
        const credentials = await userCredentials(req);
        const body = parse(createOverrideBody, req.body, 'override');
        await visibleGroup(groupRef, credentials);
        await requireMember(groupRef, credentials);
        const userRef = body.userRef.toLocaleLowerCase('en-US');
        const groupMembers = await members.membersOf(groupRef);
        if (
          !groupMembers.some(
            user =>
              stringifyEntityRef(user).toLocaleLowerCase('en-US') === userRef,
          )
        ) {
          throw new InputError(
            `Invalid override: userRef ${userRef} is not a member of ${groupRef}`,
          );
        }
        return {
          override: await overrides.create(
            {
              groupRef,
              userRef,
              start: new Date(body.start),
              end: new Date(body.end),
              createdBy: credentials.principal.userEntityRef,
              reason: body.reason,
            },
            new Date(),
          ),
        };
      },
    );
    res.status(201).json(override);
  });

  router.delete(
    '/groups/:namespace/:name/oncall-overrides/:id',
    async (req, res) => {
      const groupRef = groupRefOf(req);
      const id = parse(overrideId, req.params.id, 'override id');
      await audited(
        'oncall-override-delete',
        req,
        { groupRef, overrideId: id },
        async () => {
          const credentials = await userCredentials(req);
          await visibleGroup(groupRef, credentials);
          await requireMember(groupRef, credentials);
          if (!(await overrides.delete(groupRef, id))) {
            throw new NotFoundError(`No override ${id} for ${groupRef}`);
          }
        },
      );
      res.status(204).end();
    },
  );

  return router;
}

function asJson(value: unknown): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (JSON.parse(JSON.stringify(value)) as JsonObject)
    : {};
}
