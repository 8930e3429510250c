// The browser entry point: one live store for the page, rendered by the shell.
import { render } from 'preact';
import { AppShell } from './app-shell';
import { LiveStore } from './live-store';
import './styles.css';

const store = new LiveStore();
store.start();
const root = document.getElementById('app');
if (root) render(<AppShell store={store} />, root);
