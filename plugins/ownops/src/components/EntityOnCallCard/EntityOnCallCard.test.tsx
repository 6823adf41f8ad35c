import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { BASE_URL, ENTITY_PATH, Providers } from '../../__testUtils__/fixtures';
import { EntityOnCallCard } from './EntityOnCallCard';

const server = setupServer();
registerMswTestHooks(server);

const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();

const onCall = {
  entityRef: 'component:default/checkout-service',
  provider: 'rotation',
  now: [
    {
      person: {
        userEntityRef: 'user:default/alice',
        name: 'Alice Adams',
        email: 'alice@example.com',
      },
      start: '2026-11-23T09:00:00Z',
      end: inAnHour,
      escalationLevel: 1,
    },
  ],
  next: {
    person: { name: 'Bob Brown' },
    start: inAnHour,
    end: inAWeek,
    escalationLevel: 1,
  },
  handoffAt: inAnHour,
};

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-checkout', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [
    { type: 'hasMember', targetRef: 'user:default/bob' },
    { type: 'hasMember', targetRef: 'user:default/alice' },
  ],
};
const GROUP_ENTITY_PATH = `${BASE_URL}/entities/group/default/team-checkout`;
const OVERRIDES_PATH = `${BASE_URL}/groups/default/team-checkout/oncall-overrides`;

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('EntityOnCallCard', () => {
  it('shows who is on call now, until when, and who is next', async () => {
    server.use(
      http.get(`${ENTITY_PATH}/oncall`, () => HttpResponse.json(onCall)),
    );
    await renderInTestApp(
      <Providers>
        <EntityOnCallCard />
      </Providers>,
      routes,
    );
    const now = await screen.findByTestId('ownops-oncall-now');
    expect(now).toHaveTextContent('Alice Adams');
    expect(screen.getByRole('link', { name: 'Alice Adams' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(
      screen.getByRole('link', { name: /alice@example.com/ }),
    ).toHaveAttribute('href', 'mailto:alice@example.com');
    expect(screen.getByTestId('ownops-oncall-handoff')).toHaveTextContent(
      /^in \d+ (minutes?|hours?) \(.+\)$/,
    );
    expect(screen.getByTestId('ownops-oncall-next')).toHaveTextContent(
      'Bob Brown',
    );
    expect(screen.getByTestId('ownops-oncall-card')).toHaveTextContent(
      'Provider: rotation',
    );
    expect(screen.queryByTestId('ownops-oncall-overrides')).toBeNull();
  });

  it('explains what is missing when no provider applies', async () => {
    server.use(
      http.get(`${ENTITY_PATH}/oncall`, () =>
        HttpResponse.json({
          ...onCall,
          provider: null,
          now: [],
          next: undefined,
          handoffAt: undefined,
        }),
      ),
    );
    await renderInTestApp(
      <Providers>
        <EntityOnCallCard />
      </Providers>,
      routes,
    );
    expect(await screen.findByTestId('ownops-oncall-empty')).toHaveTextContent(
      /owner\s+group to have members/,
    );
    expect(screen.getByText('pagerduty.com/service-id')).toBeInTheDocument();
    expect(screen.queryByTestId('ownops-oncall-now')).toBeNull();
  });

  it('shows the API error of a refused override on a group page', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get(`${GROUP_ENTITY_PATH}/oncall`, () =>
        HttpResponse.json({
          ...onCall,
          entityRef: 'group:default/team-checkout',
        }),
      ),
      http.get(OVERRIDES_PATH, () => HttpResponse.json({ items: [] })),
      http.post(OVERRIDES_PATH, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Overlaps override #4 of user:default/bob',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        );
      }),
    );
    await renderInTestApp(
      <Providers>
        <EntityProvider entity={group}>
          <EntityOnCallCard />
        </EntityProvider>
      </Providers>,
      routes,
    );
    expect(
      await screen.findByText('No overrides in the next 31 days.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Who'));
    await userEvent.click(await screen.findByRole('option', { name: 'alice' }));
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-12-01T09:00' },
    });
    fireEvent.change(screen.getByLabelText('Until'), {
      target: { value: '2026-12-02T09:00' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Add override' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Overlaps override #4 of user:default/bob',
    );
    expect(bodies).toEqual([
      {
        userRef: 'user:default/alice',
        start: new Date('2026-12-01T09:00').toISOString(),
        end: new Date('2026-12-02T09:00').toISOString(),
      },
    ]);
  });

  it('deletes an override and shows a refusal', async () => {
    const deleted: string[] = [];
    server.use(
      http.get(`${GROUP_ENTITY_PATH}/oncall`, () =>
        HttpResponse.json({
          ...onCall,
          entityRef: 'group:default/team-checkout',
        }),
      ),
      http.get(OVERRIDES_PATH, () =>
        HttpResponse.json({
          items: [
            {
              id: 4,
              groupRef: 'group:default/team-checkout',
              userRef: 'user:default/bob',
              start: '2026-12-01T09:00:00Z',
              end: '2026-12-02T09:00:00Z',
              createdBy: 'user:default/bob',
              reason: 'swap',
              createdAt: '2026-11-20T09:00:00Z',
            },
          ],
        }),
      ),
      http.delete(`${OVERRIDES_PATH}/:id`, ({ params }) => {
        deleted.push(String(params.id));
        return HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                'Only members of group:default/team-checkout may change its on-call overrides',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        );
      }),
    );
    await renderInTestApp(
      <Providers>
        <EntityProvider entity={group}>
          <EntityOnCallCard />
        </EntityProvider>
      </Providers>,
      routes,
    );
    expect(
      await screen.findByTestId('ownops-oncall-override-4'),
    ).toHaveTextContent('bob');
    await userEvent.click(
      screen.getByRole('button', { name: 'Delete override 4' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Only members of group:default/team-checkout',
    );
    expect(deleted).toEqual(['4']);
  });
});
