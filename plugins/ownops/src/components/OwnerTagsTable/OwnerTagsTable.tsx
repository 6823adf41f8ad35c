import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  OWNER_TAG_FIELDS,
  OwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { OwnerTagsByEnvironment } from '../../lib/ownerTags';

/**
 * The owner tags as a table: one row per tag key, one column per
 * environment, so `cost-center` reads across every environment.
 */
export function OwnerTagsTable(props: {
  tags: OwnerTagsByEnvironment;
  keys: OwnerTagKeys;
  label?: string;
}) {
  const { tags, keys, label = 'Owner tags' } = props;
  const environments = Object.keys(tags);
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Tag key</TableCell>
          {environments.map(environment => (
            <TableCell key={environment}>{environment}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {OWNER_TAG_FIELDS.map(field => {
          const key = keys[field];
          return (
            <TableRow key={field} data-testid={`owner-tag-row-${key}`}>
              <TableCell component="th" scope="row">
                <Typography variant="body2">
                  <code>{key}</code>
                </Typography>
              </TableCell>
              {environments.map(environment => (
                <TableCell
                  key={environment}
                  data-testid={`owner-tag-${key}-${environment}`}
                >
                  <Typography variant="body2">
                    <code>{tags[environment][key]}</code>
                  </Typography>
                </TableCell>
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
