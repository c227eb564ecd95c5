// Toasts are short notes in the corner: what just happened, sometimes with an
// Undo. Errors stay until dismissed; the rest fade after a while.
import { errorMessage } from '../api/errors';

export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'error';
  action?: ToastAction;
}

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(message: string, action?: ToastAction, ms = action ? 10000 : 5000): number {
    const id = this.next++;
    this.items = [...this.items, { id, message, kind: 'info', action }];
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  /** error shows the sentence for a rejected call. */
  error(reason: unknown): number {
    const id = this.next++;
    this.items = [...this.items, { id, message: errorMessage(reason), kind: 'error' }];
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
