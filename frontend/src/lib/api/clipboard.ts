// The system clipboard, through Wails (a webview's own clipboard API needs a
// permission WebKitGTK does not grant to the app's page).
import { ClipboardSetText } from '../../../wailsjs/runtime/runtime';

/** copyText puts text on the clipboard, or says it could not. */
export async function copyText(text: string): Promise<void> {
  if (!(await ClipboardSetText(text))) throw new Error('The rows could not be copied to the clipboard.');
}
