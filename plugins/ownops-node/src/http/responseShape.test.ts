import { optional, shapeProblem } from './responseShape';

describe('shapeProblem', () => {
  const service = {
    service: {
      id: 'string',
      html_url: 'string?',
      escalation_policy: { id: 'string' },
      teams: optional([{ id: 'string' }]),
    },
  } as const;

  it('accepts a body with the fields, ignoring others', () => {
    expect(
      shapeProblem(
        {
          service: {
            id: 'P1',
            html_url: null,
            escalation_policy: { id: 'E1', type: 'x' },
            extra: true,
          },
        },
        service,
      ),
    ).toBeUndefined();
  });

  it.each([
    [[], 'the body is an array, not an object'],
    [{ service: 'P1' }, 'service is a string, not an object'],
    [{ service: { id: 'P1' } }, 'service.escalation_policy is missing'],
    [
      { service: { id: 'P1', escalation_policy: { id: 7 } } },
      'service.escalation_policy.id is a number, not a string',
    ],
    [
      {
        service: {
          id: 'P1',
          escalation_policy: { id: 'E1' },
          teams: [{ id: 'T1' }, { name: 'x' }],
        },
      },
      'service.teams[1].id is missing',
    ],
    [
      { service: { id: 'P1', escalation_policy: { id: 'E1' }, teams: {} } },
      'service.teams is an object, not a list',
    ],
    [null, 'the body is null, not an object'],
  ])('names the first field that does not fit in %j', (body, problem) => {
    expect(shapeProblem(body, service)).toBe(problem);
  });
});
