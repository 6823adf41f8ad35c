import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  ENTITY_PATH,
  environments,
  Providers,
} from '../../__testUtils__/fixtures';
import { EntityDeployCard } from './EntityDeployCard';

// In its own file: usePermission caches decisions per module instance.
const server = setupServer();
registerMswTestHooks(server);

describe('EntityDeployCard without permission', () => {
  it('disables the buttons with the owner as reason when the permission is denied', async () => {
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () =>
        HttpResponse.json(environments()),
      ),
    );
    await renderInTestApp(
      <Providers allow={false}>
        <EntityDeployCard />
      </Providers>,
    );
    const deploy = await screen.findByRole('button', {
      name: 'Deploy to staging',
    });
    await waitFor(() => expect(deploy).toBeDisabled());
    expect(
      await screen.findAllByText(
        'Only the owners of checkout-service can deploy (owner: group:default/team-checkout)',
      ),
    ).not.toHaveLength(0);
  });
});
