import {
  Entity,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  IconButton,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import { Alert } from '@material-ui/lab';
import {
  OnCallPerson,
  OnCallShift,
  EntityOnCall,
} from '@ownops/backstage-plugin-common';
import { DateTime } from 'luxon';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ownopsApiRef } from '../../api';
import { errorMessage, relativeTime, shortUser } from '../format';

function absoluteTime(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);
}

function When(props: { iso: string }) {
  return (
    <span title={props.iso}>
      {relativeTime(props.iso)} ({absoluteTime(props.iso)})
    </span>
  );
}

function Person(props: { person: OnCallPerson }) {
  const { person } = props;
  return (
    <>
      {person.userEntityRef ? (
        <EntityRefLink
          entityRef={person.userEntityRef}
          defaultKind="user"
          title={person.name}
        />
      ) : (
        person.name
      )}
      {person.email && (
        <>
          {' '}
          (<Link to={`mailto:${person.email}`}>{person.email}</Link>)
        </>
      )}
    </>
  );
}

function Shift(props: { shift: OnCallShift; showLevel: boolean }) {
  const { shift, showLevel } = props;
  return (
    <Typography variant="body1" component="div">
      <Person person={shift.person} />
      {showLevel && (
        <Typography variant="caption" color="textSecondary" component="span">
          {' '}
          · level {shift.escalationLevel}
        </Typography>
      )}
    </Typography>
  );
}

function OnCallView(props: { onCall: EntityOnCall }) {
  const { onCall } = props;
  if (onCall.provider === null) {
    return (
      <Typography data-testid="ownops-oncall-empty">
        No on-call schedule applies. The built-in rotation needs the owner group
        to have members in the catalog; or give the entity a provider annotation
        (for example <code>pagerduty.com/service-id</code>) when a provider
        module is installed.
      </Typography>
    );
  }
  const levels = new Set(onCall.now.map(shift => shift.escalationLevel));
  return (
    <Box>
      <Typography variant="overline" color="textSecondary" component="div">
        On call now
      </Typography>
      <Box data-testid="ownops-oncall-now">
        {onCall.now.length === 0 ? (
          <Typography>Nobody is on call now.</Typography>
        ) : (
          onCall.now.map((shift, i) => (
            <Shift key={i} shift={shift} showLevel={levels.size > 1} />
          ))
        )}
      </Box>
      {onCall.handoffAt && (
        <Box mt={1}>
          <Typography variant="overline" color="textSecondary" component="div">
            Until
          </Typography>
          <Typography data-testid="ownops-oncall-handoff">
            <When iso={onCall.handoffAt} />
          </Typography>
        </Box>
      )}
      {onCall.next && (
        <Box mt={1}>
          <Typography variant="overline" color="textSecondary" component="div">
            Next
          </Typography>
          <Box data-testid="ownops-oncall-next">
            <Shift shift={onCall.next} showLevel={false} />
            <Typography variant="caption" color="textSecondary">
              from <When iso={onCall.next.start} />
            </Typography>
          </Box>
        </Box>
      )}
      <Box mt={1}>
        <Typography variant="caption" color="textSecondary">
          Provider: {onCall.provider}
          {onCall.url && (
            <>
              {' · '}
              <Link to={onCall.url}>schedule</Link>
            </>
          )}
        </Typography>
      </Box>
    </Box>
  );
}

function toIso(local: string): string | undefined {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A group's on-call overrides, with a form to add one; the backend decides who may. */
function Overrides(props: { group: Entity; onChange: () => void }) {
  const { group, onChange } = props;
  const api = useApi(ownopsApiRef);
  const groupRef = stringifyEntityRef(group);
  const members = (group.relations ?? [])
    .filter(relation => relation.type === RELATION_HAS_MEMBER)
    .map(relation => relation.targetRef)
    .sort();
  const overrides = useAsyncRetry(
    () => api.listOnCallOverrides(groupRef),
    [api, groupRef],
  );
  const [userRef, setUserRef] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      overrides.retry();
      onChange();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const startIso = toIso(start);
  const endIso = toIso(end);
  const add = async () => {
    const ok = await run(() =>
      api.createOnCallOverride(groupRef, {
        userRef: userRef.trim(),
        start: startIso!,
        end: endIso!,
        ...(reason.trim() && { reason: reason.trim() }),
      }),
    );
    if (ok) {
      setReason('');
    }
  };

  return (
    <Box mt={2} data-testid="ownops-oncall-overrides">
      <Typography variant="subtitle2">Overrides</Typography>
      {overrides.error && (
        <Alert severity="warning">
          Could not list overrides ({errorMessage(overrides.error)})
        </Alert>
      )}
      {overrides.value && overrides.value.items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No overrides in the next 31 days.
        </Typography>
      )}
      {overrides.value && overrides.value.items.length > 0 && (
        <List dense>
          {overrides.value.items.map(item => (
            <ListItem
              key={item.id}
              data-testid={`ownops-oncall-override-${item.id}`}
            >
              <ListItemText
                primary={`${shortUser(item.userRef)}: ${absoluteTime(
                  item.start,
                )} – ${absoluteTime(item.end)}`}
                secondary={item.reason}
              />
              <ListItemSecondaryAction>
                <IconButton
                  edge="end"
                  aria-label={`Delete override ${item.id}`}
                  disabled={busy}
                  onClick={() =>
                    run(() => api.deleteOnCallOverride(groupRef, item.id))
                  }
                >
                  <DeleteIcon />
                </IconButton>
              </ListItemSecondaryAction>
            </ListItem>
          ))}
        </List>
      )}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mt={1}>
        {members.length > 0 ? (
          <TextField
            select
            id="ownops-oncall-override-user"
            label="Who"
            value={userRef}
            onChange={e => setUserRef(e.target.value)}
            style={{ minWidth: 180 }}
          >
            {members.map(ref => (
              <MenuItem key={ref} value={ref}>
                {shortUser(ref)}
              </MenuItem>
            ))}
          </TextField>
        ) : (
          <TextField
            id="ownops-oncall-override-user"
            label="Who"
            placeholder="user:default/alice"
            value={userRef}
            onChange={e => setUserRef(e.target.value)}
          />
        )}
        <TextField
          id="ownops-oncall-override-start"
          label="From"
          type="datetime-local"
          InputLabelProps={{ shrink: true }}
          value={start}
          onChange={e => setStart(e.target.value)}
        />
        <TextField
          id="ownops-oncall-override-end"
          label="Until"
          type="datetime-local"
          InputLabelProps={{ shrink: true }}
          value={end}
          onChange={e => setEnd(e.target.value)}
        />
        <TextField
          id="ownops-oncall-override-reason"
          label="Reason (optional)"
          value={reason}
          onChange={e => setReason(e.target.value)}
        />
        <Button
          variant="outlined"
          color="primary"
          disabled={busy || !userRef.trim() || !startIso || !endIso}
          onClick={add}
        >
          Add override
        </Button>
      </Box>
      {error && (
        <Alert severity="error" role="alert" style={{ marginTop: 8 }}>
          {error}
        </Alert>
      )}
    </Box>
  );
}

/**
 * Who is on call for a component or group now, until when, and who is next;
 * on a group, its on-call overrides.
 */
export function EntityOnCallCard() {
  const { entity } = useEntity();
  const api = useApi(ownopsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const isGroup = entity.kind.toLocaleLowerCase('en-US') === 'group';
  const onCall = useAsyncRetry(
    () => api.getEntityOnCall(entityRef),
    [api, entityRef],
  );

  let body;
  if (onCall.loading && !onCall.value) {
    body = <Progress />;
  } else if (onCall.error) {
    body = <ResponseErrorPanel error={onCall.error} />;
  } else if (onCall.value) {
    body = <OnCallView onCall={onCall.value} />;
  }

  return (
    <div data-testid="ownops-oncall-card">
      <InfoCard title="On call">
        {body}
        {isGroup && <Overrides group={entity} onChange={onCall.retry} />}
      </InfoCard>
    </div>
  );
}
