import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Operation } from '../api/send-operation';
import { useSendOperation } from '../api/send-operation';

const ReportOutcome = createContext<(message: string | null) => void>(() => undefined);

/**
 * The buttons for one target and the last accepted operation's answer. The answer lives here, not in its
 * button, because a done operation usually removes its own button (a torn-down framework has no Tear down).
 */
export function OperationsGroup({ label, children }: { label: string; children: ReactNode }) {
  const [outcome, setOutcome] = useState<string | null>(null);
  return (
    <div className="operations" aria-label={label} role="group">
      <ReportOutcome.Provider value={setOutcome}>{children}</ReportOutcome.Provider>
      {outcome && (
        <span className="muted small" role="status">
          {outcome}
        </span>
      )}
    </div>
  );
}

/**
 * A button for one cluster operation, inside an `OperationsGroup`. Nothing is sent until the dialog it opens, which says exactly what will
 * happen, is confirmed; the server's answer (or its refusal, in the master's words) is shown in the dialog.
 */
export function OperationButton({
  label,
  title,
  consequence,
  confirmLabel,
  operation,
}: {
  label: string;
  /** The dialog's question, naming the target: "Tear down framework marathon (id …)?" */
  title: string;
  /** What will follow, e.g. "Its 4 tasks will be killed." */
  consequence: ReactNode;
  confirmLabel: string;
  operation: Operation;
}) {
  const [open, setOpen] = useState(false);
  const report = useContext(ReportOutcome);
  return (
    <>
      <button
        type="button"
        className="button button-danger"
        onClick={() => {
          report(null);
          setOpen(true);
        }}
      >
        {label}
      </button>
      {open && (
        <ConfirmDialog
          title={title}
          consequence={consequence}
          confirmLabel={confirmLabel}
          operation={operation}
          onDone={(message) => {
            report(message);
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

function ConfirmDialog({
  title,
  consequence,
  confirmLabel,
  operation,
  onDone,
  onClose,
}: {
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  operation: Operation;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const send = useSendOperation();
  useEffect(() => {
    const element = dialog.current;
    if (!element || element.open) return;
    // Modal: the page behind is inert and focus starts on Cancel. (jsdom has no showModal; browsers do.)
    if (typeof element.showModal === 'function') element.showModal();
    else element.setAttribute('open', '');
  }, []);
  return (
    <dialog
      ref={dialog}
      className="operation-dialog"
      aria-labelledby="operation-dialog-title"
      onClose={onClose}
    >
      <h2 id="operation-dialog-title" className="break">
        {title}
      </h2>
      <p>{consequence}</p>
      {send.isError && (
        <p className="notice notice-error" role="alert">
          {send.error.message}
        </p>
      )}
      <div className="operation-dialog-buttons">
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={send.isPending}
          onClick={() => send.mutate(operation, { onSuccess: (answer) => onDone(answer.message) })}
        >
          {send.isPending ? 'Sending…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
