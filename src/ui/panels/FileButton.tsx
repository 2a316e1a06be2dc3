/**
 * A button-looking file picker: a visible label styled as a button over a visually hidden <input type=file>, so
 * it is reachable by keyboard and screen readers. The input is cleared after each pick, so choosing the same
 * file again fires again.
 */
import { useId } from 'react';

export interface FileButtonProps {
  label: string;
  /** The input's accessible name, when it should differ from the visible label. */
  ariaLabel?: string;
  accept: string;
  disabled?: boolean;
  onFiles(files: File[]): void;
}

export function FileButton({ label, ariaLabel, accept, disabled, onFiles }: FileButtonProps) {
  const inputId = useId();
  return (
    <>
      <label htmlFor={inputId} className="file-button" data-disabled={disabled || undefined}>
        {label}
      </label>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        accept={accept}
        aria-label={ariaLabel}
        disabled={disabled}
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
    </>
  );
}
