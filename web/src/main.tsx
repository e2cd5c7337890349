// The calfdvt clinician web app: hash routes (#/assess, #/worklist, #/episode/ID, #/patient/ID,
// #/procedures, #/procedures/new, #/procedure/ID, #/registry), so the server only serves
// index.html and hashed assets.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, token, type Knowledge } from './api';
import { AssessPage } from './pages/Assess';
import { EpisodePage, PatientPage } from './pages/Episode';
import { NewProcedurePage, ProcedurePage, ProceduresPage } from './pages/Procedures';
import { RegistryPage } from './pages/Registry';
import { WorklistPage } from './pages/Worklist';
import './styles.css';

const NAV = [['#/assess', 'Assess'], ['#/worklist', 'Worklist'], ['#/procedures', 'Procedures'], ['#/registry', 'Registry']] as const;

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/assess');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/assess');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function App() {
  const hash = useHash();
  const [knowledge, setKnowledge] = useState<Knowledge | null>(null);
  useEffect(() => { api.knowledge().then((r) => r.ok && setKnowledge(r.data!)); }, []);
  const navigate = (h: string) => { location.hash = h; };
  const [needToken, setNeedToken] = useState(false);
  const [tokenText, setTokenText] = useState('');
  useEffect(() => {
    const on = () => setNeedToken(true);
    addEventListener('calfdvt-unauthorized', on);
    return () => removeEventListener('calfdvt-unauthorized', on);
  }, []);
  const [, route, arg, ...rest] = hash.split('/');
  const id = decodeURIComponent([arg, ...rest].filter(Boolean).join('/'));

  let page;
  let title = 'calfdvt';
  switch (route) {
    case 'worklist': page = <WorklistPage navigate={navigate} />; title = 'Worklist'; break;
    case 'episode': page = <EpisodePage id={id} key={id} />; title = 'Episode'; break;
    case 'patient': page = <PatientPage patient={id} key={id} />; title = 'Patient'; break;
    case 'procedures': page = arg === 'new' ? <NewProcedurePage navigate={navigate} /> : <ProceduresPage />; title = 'Procedures'; break;
    case 'procedure': page = <ProcedurePage id={id} key={id} />; title = 'Procedure'; break;
    case 'registry': page = <RegistryPage />; title = 'Registry'; break;
    default: page = <AssessPage knowledge={knowledge} navigate={navigate} />; title = 'Assess';
  }
  useEffect(() => {
    document.title = `${title} · calfdvt`;
    // Move focus to the new page's heading so keyboard and screen-reader users land on it.
    const h = document.querySelector('main h1') as HTMLElement | null;
    if (h) { h.tabIndex = -1; h.focus({ preventScroll: true }); }
  }, [route, arg]);
  const active = `#/${route === 'procedure' ? 'procedures' : route === 'episode' || route === 'patient' ? 'worklist' : route || 'assess'}`;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); (document.querySelector('main h1') as HTMLElement | null)?.focus(); }}>Skip to content</a>
      <header class="top no-print">
        <a class="brand" href="#/assess">calfdvt</a>
        <nav aria-label="Main">
          <ul>{NAV.map(([h, l]) => <li key={h}><a href={h} aria-current={active === h ? 'page' : undefined}>{l}</a></li>)}</ul>
        </nav>
        {knowledge && <span class="kv-version small">knowledge {knowledge.id} {knowledge.version}</span>}
      </header>
      {needToken && (
        <form class="banner banner-warn token-form" onSubmit={(e) => { e.preventDefault(); token.set(tokenText.trim()); location.reload(); }}>
          <div class="field"><label for="api-token">This server needs an API token (from <code>calfdvt token create</code>); it is kept for this tab only</label>
            <input id="api-token" type="password" value={tokenText} onInput={(e) => setTokenText((e.target as HTMLInputElement).value)} autoComplete="off" /></div>
          <button type="submit" class="btn-primary">Use token</button>
        </form>
      )}
      <main id="main">{page}</main>
      <footer class="foot small">Decision support, not a decision: every result shows its basis; the decision stays with the clinician and the patient.</footer>
    </>
  );
}

// Printing shows everything: folded sections (rule trace, the case as sent) open first.
addEventListener('beforeprint', () => document.querySelectorAll('details').forEach((d) => { d.open = true; }));

render(<App />, document.getElementById('app')!);
