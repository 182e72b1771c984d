/**
 * The `npm run dev` playground (index.html). It starts with the shipped model (weights/shapes-clip,
 * served by the dev server: offline, at once). URL parameters pick another model and a hub mirror:
 *   /?model=openai/clip-vit-base-patch16   /?endpoint=http://127.0.0.1:8080   /?model=/models/my-clip/
 * A hub or URL model the user loaded is remembered, so a reload starts from the cache at once; loading
 * the shipped model again forgets it.
 */
import { DEFAULT_MODEL, MODEL_READY, type ModelReadyDetail } from './shared-model.ts';

const LAST_SOURCE = 'clip-webgpu:last-source';

const app = document.querySelector('clip-playground')!;
const params = new URLSearchParams(location.search);
// Set before the element is defined, so its loader starts with them.
app.setAttribute('source', params.get('model') ?? localStorage.getItem(LAST_SOURCE) ?? DEFAULT_MODEL);
const endpoint = params.get('endpoint');
if (endpoint) app.setAttribute('endpoint', endpoint);

app.addEventListener(MODEL_READY, (e) => {
  const { source, local, shipped } = (e as CustomEvent<ModelReadyDetail>).detail;
  if (shipped) localStorage.removeItem(LAST_SOURCE);
  else if (!local) localStorage.setItem(LAST_SOURCE, source);
});

await import('./components/index.ts');
