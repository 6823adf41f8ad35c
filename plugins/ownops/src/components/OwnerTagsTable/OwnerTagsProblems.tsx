import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { OwnerTagsProblem } from '../../lib/ownerTags';

/**
 * Problems with the owner tags: what would be refused (errors) apart from
 * what is not filled in yet (hints).
 */
export function OwnerTagsProblems(props: {
  problems: OwnerTagsProblem[];
  /** Severity of problems of kind `missing`; `info` while a form is filled. */
  missingSeverity?: 'info' | 'warning';
}) {
  const invalid = props.problems.filter(p => p.kind === 'invalid');
  const missing = props.problems.filter(p => p.kind === 'missing');
  return (
    <>
      {invalid.length > 0 && (
        <Box my={1}>
          <Alert severity="error" aria-label="Owner tag problems">
            {invalid.length === 1 ? (
              invalid[0].message
            ) : (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {invalid.map(p => (
                  <li key={p.message}>{p.message}</li>
                ))}
              </ul>
            )}
          </Alert>
        </Box>
      )}
      {missing.length > 0 && (
        <Box my={1}>
          <Alert
            severity={props.missingSeverity ?? 'info'}
            role="status"
            aria-label="Owner tags incomplete"
          >
            {missing.length === 1 ? (
              missing[0].message
            ) : (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {missing.map(p => (
                  <li key={p.message}>{p.message}</li>
                ))}
              </ul>
            )}
          </Alert>
        </Box>
      )}
    </>
  );
}
