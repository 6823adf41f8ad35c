import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogPeople } from '@ownops/backstage-plugin-node';
import { PagerDutyConfig } from '../config';

export const API = 'https://api.pagerduty.com';
export const EVENTS = 'https://events.pagerduty.com';
export const TOKEN = 'y_NbAkKc66ryYTWUXYEu';
export const ROUTING_KEY = 'R0ut1ngK3yOfCheckout00000000000';

export const config: PagerDutyConfig = {
  apiToken: TOKEN,
  apiBaseUrl: API,
  eventsBaseUrl: EVENTS,
  changeEventsEnabled: true,
  timeoutMs: 2_000,
};

const escalationPolicyRef = {
  id: 'PT20YPA',
  type: 'escalation_policy_reference',
  summary: 'Checkout escalation',
  self: `${API}/escalation_policies/PT20YPA`,
  html_url: 'https://acme.pagerduty.com/escalation_policies/PT20YPA',
};

/** `GET /services/{id}` as PagerDuty documents it. */
export const serviceBody = {
  service: {
    id: 'PIJ90N7',
    type: 'service',
    summary: 'Checkout',
    self: `${API}/services/PIJ90N7`,
    html_url: 'https://acme.pagerduty.com/service-directory/PIJ90N7',
    name: 'Checkout',
    status: 'active',
    escalation_policy: escalationPolicyRef,
    teams: [],
  },
};

/** One entry of `GET /oncalls?include[]=users`: the user expanded. */
export function oncall(options: {
  userId: string;
  name: string;
  email: string;
  level: number;
  start: string | null;
  end: string | null;
}) {
  return {
    escalation_policy: escalationPolicyRef,
    escalation_level: options.level,
    schedule:
      options.start === null
        ? null
        : {
            id: 'PI7DH85',
            type: 'schedule_reference',
            summary: 'Checkout primary',
            self: `${API}/schedules/PI7DH85`,
            html_url: 'https://acme.pagerduty.com/schedules/PI7DH85',
          },
    user: {
      id: options.userId,
      type: 'user',
      summary: options.name,
      self: `${API}/users/${options.userId}`,
      html_url: `https://acme.pagerduty.com/users/${options.userId}`,
      name: options.name,
      email: options.email,
      time_zone: 'Europe/Berlin',
      role: 'user',
    },
    start: options.start,
    end: options.end,
  };
}

export function oncallsPage(
  oncalls: unknown[],
  options: { offset?: number; more?: boolean; limit?: number } = {},
) {
  return {
    oncalls,
    limit: options.limit ?? 100,
    offset: options.offset ?? 0,
    more: options.more ?? false,
    total: null,
  };
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
    annotations: {
      'pagerduty.com/service-id': 'PIJ90N7',
      'pagerduty.com/integration-key': ROUTING_KEY,
    },
  },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
};

export function catalogPeople(entities: Entity[] = [alice]) {
  const catalog = catalogServiceMock({ entities });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  return {
    people: new CatalogPeople({ catalog, auth: mockServices.auth() }),
    getEntities,
  };
}
