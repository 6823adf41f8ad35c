import { TextField } from '@material-ui/core';

/**
 * A labelled native select: operable by keyboard, by Testing Library's
 * `selectOptions` and by Playwright's `selectOption`, with the test id on
 * the `<select>` element itself.
 */
export function CostSelect<T extends string>(props: {
  id: string;
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  testId?: string;
  helperText?: string;
  disabled?: boolean;
  minWidth?: number;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value as T)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'data-testid': props.testId }}
      helperText={props.helperText}
      disabled={props.disabled}
      variant="outlined"
      margin="dense"
      style={{ minWidth: props.minWidth ?? 180 }}
    >
      {props.options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}
