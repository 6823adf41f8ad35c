import { Entity } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  catalogEntities,
  entity,
  ENTITY_PATH,
  Providers,
} from '../../__testUtils__/fixtures';
import { EntityOwnerTagsCard } from './EntityOwnerTagsCard';

const server = setupServer();
registerMswTestHooks(server);

const budget = {
  entityRef: 'component:default/checkout-service',
  amount: '1500.00',
  currency: 'USD',
  thresholds: [50, 80, 100],
  updatedBy: 'user:default/alice',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

async function renderCard(component: Entity = entity) {
  await renderInTestApp(
    <Providers>
      <TestApiProvider
        apis={[
          [catalogApiRef, catalogApiMock({ entities: catalogEntities })],
          [configApiRef, mockApis.config()],
        ]}
      >
        <EntityProvider entity={component}>
          <EntityOwnerTagsCard />
        </EntityProvider>
      </TestApiProvider>
    </Providers>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

function budgetReturns(status: number, body: Record<string, unknown>) {
  server.use(
    http.get(`${ENTITY_PATH}/budget`, () =>
      HttpResponse.json(body, { status }),
    ),
  );
}

describe('EntityOwnerTagsCard', () => {
  it('shows owner, cost center, the tags of each environment and the budget', async () => {
    budgetReturns(200, { budget });
    await renderCard();

    expect(screen.getByText('Owner tags and budget')).toBeInTheDocument();
    const amount = await screen.findByTestId('ownops-budget-amount');
    expect(amount).toHaveTextContent(/^USD 1,500\.00$/);
    expect(screen.getByTestId('ownops-budget-thresholds')).toHaveTextContent(
      'alerts at 50%, 80%, 100%',
    );

    expect(screen.getByTestId('ownops-owner')).toHaveTextContent(
      'team-checkout',
    );
    expect(screen.getByTestId('ownops-cost-center')).toHaveTextContent(
      'cc-1001',
    );
    expect(
      screen.getByText('(from group:default/team-checkout)'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Owner tags' });
    const row = within(table).getByTestId('owner-tag-row-cost-center');
    expect(row).toHaveTextContent('cost-center');
    expect(row).toHaveTextContent('cc-1001');
    expect(
      within(table).getByTestId('owner-tag-backstage-entity-production'),
    ).toHaveTextContent('component.default.checkout-service');
    expect(
      within(table).getByTestId('owner-tag-environment-staging'),
    ).toHaveTextContent('staging');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it("prefers the component's own cost center", async () => {
    budgetReturns(200, { budget: null });
    await renderCard({
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          'ownops.io/cost-center': 'cc-4242',
        },
      },
    });
    expect(await screen.findByTestId('ownops-cost-center')).toHaveTextContent(
      'cc-4242',
    );
    expect(screen.getByText('(from this component)')).toBeInTheDocument();
    expect(
      screen.getByTestId('owner-tag-cost-center-production'),
    ).toHaveTextContent('cc-4242');
  });

  it('names the annotation a budget comes from', async () => {
    budgetReturns(200, { budget, source: 'annotation' });
    await renderCard();
    expect(await screen.findByTestId('ownops-budget-amount')).toHaveTextContent(
      'USD 1,500.00',
    );
    expect(
      screen.getByText(
        'From the ownops.io/budget annotation in catalog-info.yaml',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^Set /)).not.toBeInTheDocument();
  });

  it('says how to set a budget when there is none', async () => {
    budgetReturns(200, { budget: null });
    await renderCard();
    expect(await screen.findByText('No budget set')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Set one on the Cost tab, when creating the service from the "Service with owner tags" template, or with the ownops.io/budget annotation on this component.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('ownops-budget-amount'),
    ).not.toBeInTheDocument();
  });

  it('says the budget is not visible on 403, without an error panel', async () => {
    budgetReturns(403, {
      error: { name: 'NotAllowedError', message: 'Unauthorized' },
      response: { statusCode: 403 },
    });
    await renderCard();
    expect(
      await screen.findByText("You may not see this service's budget"),
    ).toBeInTheDocument();
    expect(screen.queryByText('Unauthorized')).not.toBeInTheDocument();
    // The tags are still shown.
    expect(
      screen.getByTestId('owner-tag-cost-center-staging'),
    ).toHaveTextContent('cc-1001');
  });

  it('shows other budget errors in an error panel', async () => {
    budgetReturns(500, {
      error: { name: 'Error', message: 'database is down' },
      response: { statusCode: 500 },
    });
    await renderCard();
    expect(
      await screen.findByText(/database is down/, { selector: 'pre,p,div' }),
    ).toBeInTheDocument();
  });

  it('names the missing cost center annotation', async () => {
    budgetReturns(200, { budget: null });
    await renderCard({
      ...entity,
      spec: { ...entity.spec, owner: 'group:default/team-nocc' },
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'No cost center: add the ownops.io/cost-center annotation to this component or to its owner group group:default/team-nocc',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('flags an owner that is not a group', async () => {
    budgetReturns(200, { budget: null });
    await renderCard({
      ...entity,
      spec: { ...entity.spec, owner: 'user:default/alice' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'spec.owner: user:default/alice is a User, but a service must be owned by a Group',
    );
  });
});
