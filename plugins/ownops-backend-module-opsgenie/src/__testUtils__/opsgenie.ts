import { Entity } from '@backstage/catalog-model';
import { OpsgenieConfig } from '../config';

export const API = 'https://api.opsgenie.com';
export const API_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';

export const config: OpsgenieConfig = {
  apiKey: API_KEY,
  apiBaseUrl: API,
  timeoutMs: 2_000,
};

const meta = { took: 0.013, requestId: '9ae63dd7-ed00-4c81-86f0-c4ffd33142c9' };

function schedule(id: string, name: string, team: string, enabled = true) {
  return {
    id,
    name,
    description: '',
    timezone: 'Europe/Berlin',
    enabled,
    ownerTeam: { id: `team-${team}`, name: team },
    rotations: [],
  };
}

/** `GET /v2/schedules`. */
export const schedulesBody = {
  data: [
    schedule(
      'c0ffee00-0000-4000-8000-00000000000b',
      'Checkout secondary',
      'checkout',
    ),
    schedule(
      'c0ffee00-0000-4000-8000-00000000000a',
      'Checkout primary',
      'checkout',
    ),
    schedule(
      'c0ffee00-0000-4000-8000-00000000000c',
      'Checkout old',
      'checkout',
      false,
    ),
    schedule('c0ffee00-0000-4000-8000-00000000000d', 'Payments', 'payments'),
  ],
  expandable: ['rotation'],
  ...meta,
};

export const PRIMARY_ID = 'c0ffee00-0000-4000-8000-00000000000a';

/** `GET /v2/schedules/{id}/on-calls?flat=true`. */
export function onCallsBody(recipients: string[]) {
  return {
    data: {
      _parent: { id: PRIMARY_ID, name: 'Checkout primary', enabled: true },
      onCallParticipants: recipients.map((name, i) => ({
        id: `user-${i}`,
        name,
        type: 'user',
      })),
      onCallRecipients: recipients,
    },
    ...meta,
  };
}

function period(startDate: string, endDate: string, name: string) {
  return {
    startDate,
    endDate,
    type: 'default',
    recipient: { id: `id-${name}`, type: 'user', name },
  };
}

/** `GET /v2/schedules/{id}/timeline` from 2026-11-20T10:00Z, three weeks. */
export const timelineBody = {
  data: {
    _parent: { id: PRIMARY_ID, name: 'Checkout primary', enabled: true },
    startDate: '2026-11-20T10:00:00Z',
    endDate: '2026-12-11T10:00:00Z',
    finalTimeline: {
      rotations: [
        {
          id: 'rot-1',
          name: 'Weekly',
          order: 1.0,
          periods: [
            period(
              '2026-11-20T10:00:00Z',
              '2026-11-23T08:00:00Z',
              'dave@example.com',
            ),
            period(
              '2026-11-23T08:00:00Z',
              '2026-11-30T08:00:00Z',
              'alice@example.com',
            ),
            period(
              '2026-11-30T08:00:00Z',
              '2026-12-07T08:00:00Z',
              'carol@example.com',
            ),
            period(
              '2026-12-07T08:00:00Z',
              '2026-12-11T10:00:00Z',
              'dave@example.com',
            ),
          ],
        },
      ],
    },
    baseTimeline: { rotations: [] },
    overrideTimeline: { rotations: [] },
    forwardingTimeline: { rotations: [] },
  },
  expandable: ['base', 'forwarding', 'override'],
  ...meta,
};

export function errorBody(message: string) {
  return { message, ...meta };
}

export const alice: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alice', namespace: 'default' },
  spec: {
    profile: { displayName: 'Alice Example', email: 'Alice@Example.com' },
    memberOf: [],
  },
};

export const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: { 'opsgenie.com/team': 'Checkout' },
  },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
};
