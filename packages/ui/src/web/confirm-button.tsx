// A button that asks first, in a modal <dialog> (keyboard: Esc cancels, focus starts on Cancel),
// for actions that destroy something.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface ConfirmButtonProps {
  readonly label: string;
  readonly question: ComponentChildren;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly danger?: boolean;
  readonly disabled?: boolean;
  readonly small?: boolean;
}

export function ConfirmButton(props: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = () => {
    dialog.current?.close();
    props.onConfirm();
  };
  return (
    <>
      <button type="button" class={`${props.danger ? 'danger' : ''} ${props.small ? 'small' : ''}`} disabled={props.disabled} onClick={() => dialog.current?.showModal()}>
        {props.label}
      </button>
      <dialog ref={dialog} class="confirm">
        <p>{props.question}</p>
        <div class="actions">
          <button type="button" autofocus onClick={() => dialog.current?.close()}>Cancel</button>
          <button type="button" class={props.danger ? 'danger' : 'primary'} onClick={confirm}>{props.confirmLabel}</button>
        </div>
      </dialog>
    </>
  );
}
