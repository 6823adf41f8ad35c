import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ANNOTATION_BUDGET,
  Budget,
  BudgetInput,
  DEFAULT_BUDGET_THRESHOLDS,
  validateBudgetInput,
} from '@ownops/backstage-plugin-common';
import { FormEvent, useEffect, useState } from 'react';
import { ownopsApiRef } from '../../api';
import { isConflict } from '../cost/errors';
import { errorMessage } from '../format';

/** The form's text, before it is a budget. */
interface BudgetForm {
  amount: string;
  currency: string;
  thresholds: string;
}

function formOf(initial?: Partial<BudgetInput>): BudgetForm {
  return {
    amount: initial?.amount ?? '',
    currency: initial?.currency ?? 'USD',
    thresholds: (initial?.thresholds ?? DEFAULT_BUDGET_THRESHOLDS).join(', '),
  };
}

/**
 * `"50, 80,100"` → `[50, 80, 100]`; parts that are not whole numbers stay
 * as text so that the shared validation names them. Empty → no alerts.
 */
export function parseThresholds(text: string): unknown[] {
  return text
    .split(',')
    .map(part => part.trim())
    .filter(part => part !== '')
    .map(part => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * The budget the form describes, or every problem with it (the same checks
 * and messages as the backend and the template actions).
 */
export function readBudgetForm(
  form: BudgetForm,
): { budget: BudgetInput } | { problems: string[] } {
  const input = {
    amount: form.amount.trim(),
    currency: form.currency.trim().toUpperCase(),
    thresholds: parseThresholds(form.thresholds),
  };
  const problems = validateBudgetInput(input);
  if (problems.length > 0) {
    return { problems };
  }
  return {
    budget: {
      amount: input.amount,
      currency: input.currency,
      thresholds: (input.thresholds as number[]).slice().sort((a, b) => a - b),
    },
  };
}

/**
 * Sets the monthly budget of a component or group: amount, currency and the
 * percentages at which owners and finance are alerted.
 *
 * @public
 */
export function BudgetDialog(props: {
  open: boolean;
  entityRef: string;
  /** Shown in the title, e.g. the entity's title or name. */
  entityName: string;
  /** The current budget, to edit; a new one starts in USD at 50, 80, 100 %. */
  initial?: Partial<BudgetInput>;
  onClose: () => void;
  onSaved: (budget: Budget) => void;
}) {
  const { open, entityRef, initial, onClose, onSaved } = props;
  const api = useApi(ownopsApiRef);
  const [form, setForm] = useState<BudgetForm>(() => formOf(initial));
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();

  useEffect(() => {
    if (open) {
      setForm(formOf(initial));
      setSubmitted(false);
      setSaveError(undefined);
    }
    // Reset only when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const read = readBudgetForm(form);
  const problems = submitted && 'problems' in read ? read.problems : [];
  const problemOf = (field: keyof BudgetForm) =>
    problems.find(p => p.startsWith(field));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setSaveError(undefined);
    if (!('budget' in read)) {
      return;
    }
    setSaving(true);
    try {
      const response = await api.setBudget(entityRef, read.budget);
      if (response.budget) {
        onSaved(response.budget);
      }
      onClose();
    } catch (e) {
      setSaveError(
        isConflict(e)
          ? `${errorMessage(
              e,
            )} — this budget comes from the ${ANNOTATION_BUDGET} annotation in catalog-info.yaml; change it there.`
          : errorMessage(e),
      );
    } finally {
      setSaving(false);
    }
  };

  const field = (name: keyof BudgetForm) => ({
    value: form[name],
    onChange: (event: { target: { value: string } }) =>
      setForm(previous => ({ ...previous, [name]: event.target.value })),
    error: !!problemOf(name),
    helperText: problemOf(name),
  });

  return (
    <Dialog
      open={open}
      onClose={saving ? undefined : onClose}
      aria-labelledby="ownops-budget-dialog-title"
      fullWidth
      maxWidth="xs"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="ownops-budget-dialog-title">
          Monthly budget of {props.entityName}
        </DialogTitle>
        <DialogContent>
          <DialogContentText variant="body2">
            Owners and finance are alerted when the month-to-date cost reaches
            each threshold. Only cost in the budget's currency counts.
          </DialogContentText>
          <TextField
            {...field('amount')}
            id="ownops-budget-amount"
            label="Amount per month"
            placeholder="1500.00"
            inputProps={{ inputMode: 'decimal' }}
            helperText={problemOf('amount') ?? 'Up to 4 decimals, e.g. 1500.00'}
            required
            fullWidth
            margin="dense"
          />
          <TextField
            {...field('currency')}
            id="ownops-budget-currency"
            label="Currency"
            helperText={problemOf('currency') ?? 'ISO 4217 code, e.g. USD'}
            inputProps={{ maxLength: 3 }}
            required
            fullWidth
            margin="dense"
          />
          <TextField
            {...field('thresholds')}
            id="ownops-budget-thresholds"
            label="Alert thresholds (%)"
            helperText={
              problemOf('thresholds') ??
              'Comma-separated whole percentages, e.g. 50, 80, 100; empty for no alerts'
            }
            fullWidth
            margin="dense"
          />
          {saveError && (
            <Alert severity="error" role="alert" style={{ marginTop: 8 }}>
              {saveError}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            {saving ? 'Saving…' : 'Save budget'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
