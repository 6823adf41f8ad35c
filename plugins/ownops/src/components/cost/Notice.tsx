import { Alert, AlertTitle } from '@material-ui/lab';
import { ReactNode } from 'react';

/** A visible (never collapsed) explanation, e.g. why a view is empty. */
export function CostNotice(props: {
  title: string;
  children: ReactNode;
  severity?: 'info' | 'warning' | 'error';
  testId?: string;
}) {
  return (
    <Alert
      severity={props.severity ?? 'info'}
      data-testid={props.testId}
      role="status"
    >
      <AlertTitle>{props.title}</AlertTitle>
      {props.children}
    </Alert>
  );
}
