import { api } from './api.js';
import { showCascade } from './cascade.js';
import { showResults } from './results.js';
import { route } from './state.js';

/** The dashboard's shell: the view named by the URL's hash, the projector mode, keyboard shortcuts. */
const view = document.getElementById('view')!;
const projector = document.getElementById('projector')!;
const catalog = api.catalog();

function setProjector(on: boolean): void {
  document.body.classList.toggle('projector', on);
  projector.setAttribute('aria-pressed', String(on));
  localStorage.setItem('strata-projector', on ? '1' : '0');
}
setProjector(localStorage.getItem('strata-projector') === '1');
projector.addEventListener('click', () => setProjector(!document.body.classList.contains('projector')));
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (event.key === 'p' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) setProjector(!document.body.classList.contains('projector'));
});

async function render(): Promise<void> {
  const name = route();
  for (const link of document.querySelectorAll('nav a')) {
    if (link.id === `nav-${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  view.innerHTML = '';
  try {
    const c = await catalog;
    if (name === 'results') await showResults(view, c);
    else await showCascade(view, c);
  } catch (error) {
    view.innerHTML = `<p class="error">${(error as Error).message}</p>`;
  }
}

window.addEventListener('hashchange', () => void render());
void render();
