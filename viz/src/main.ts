import { api, token } from './api.js';
import { showCascade } from './cascade.js';
import { showResults } from './results.js';
import { route } from './state.js';

/**
 * The dashboard's shell: the view named by the URL's hash, projector mode, keyboard shortcuts. Each view gets
 * an AbortSignal that fires when the next one starts: it removes its listeners, closes its streams and lets
 * a slow load that finishes late do nothing.
 */
const view = document.getElementById('view')!;
const projector = document.getElementById('projector')!;
const catalog = api.catalog();

// Keep the token for this tab, and take it out of the address bar (a projected screen shows the URL).
if (token() !== null && new URLSearchParams(location.search).has('token')) history.replaceState(null, '', `${location.pathname}${location.hash}`);

function setProjector(on: boolean): void {
  document.body.classList.toggle('projector', on);
  projector.setAttribute('aria-pressed', String(on));
  localStorage.setItem('strata-projector', on ? '1' : '0');
  window.dispatchEvent(new Event('strata-theme'));
}
setProjector(localStorage.getItem('strata-projector') === '1');
projector.addEventListener('click', () => setProjector(!document.body.classList.contains('projector')));
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if ((event.key === 'p' || event.key === 'P') && !event.ctrlKey && !event.metaKey && !['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) {
    setProjector(!document.body.classList.contains('projector'));
  }
});

let current: AbortController | undefined;

async function render(): Promise<void> {
  current?.abort();
  const controller = (current = new AbortController());
  const name = route();
  for (const link of document.querySelectorAll('nav a')) {
    if (link.id === `nav-${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  view.replaceChildren();
  try {
    const c = await catalog;
    if (controller.signal.aborted) return;
    if (name === 'results') await showResults(view, c, controller.signal);
    else await showCascade(view, c, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return;
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = (error as Error).message;
    view.replaceChildren(p);
  }
}

window.addEventListener('hashchange', () => void render());
void render();
