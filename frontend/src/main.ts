import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

// index.html holds a static shell that paints before this script runs.
const target = document.getElementById('app')!;
target.replaceChildren();
const app = mount(App, { target });

export default app;
