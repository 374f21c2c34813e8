import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized, token } from './api';
import { forgetRole, useRole } from './role';
import { Link, useLocation } from './router';
import { RunPage } from './pages/Run';
import { RunsPage } from './pages/Runs';
import { WorkflowPage } from './pages/Workflow';
import { WorkflowsPage } from './pages/Workflows';
import './styles.css';

function Route({ url }: { url: URL }) {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (path === '/' || path === '/workflows') return <WorkflowsPage />;
  if (parts[0] === 'workflows' && parts.length === 2)
    return <WorkflowPage workflowId={parts[1]} key={parts[1]} />;
  if (parts[0] === 'runs' && parts.length === 1) return <RunsPage />;
  if (parts[0] === 'runs' && parts.length === 2) return <RunPage runId={parts[1]} key={parts[1]} />;
  return (
    <div class="error" role="alert">
      <strong>Not found: </strong>no page at <code>{url.pathname}</code>. <Link href="/">Workflows</Link>
    </div>
  );
}

/**
 * Shown on any 401: the token is kept in this browser's localStorage. The
 * all-in-one writes its admin token to a file in its data directory.
 */
function SignIn({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState('');
  return (
    <div class="signin-backdrop">
      <form
        class="signin card"
        onSubmit={(e) => {
          e.preventDefault();
          token.set(value.trim());
          forgetRole();
          onDone();
        }}
      >
        <h2>Sign in to Baton</h2>
        <p class="muted small">
          Paste an API token. It stays in this browser (localStorage). The all-in-one process writes an admin
          token to a file in its data directory (<code>BATON_DATA_DIR</code>), and accepts{' '}
          <code>BATON_ADMIN_TOKEN</code>.
        </p>
        <label class="field">
          Token
          <input
            type="password"
            name="token"
            value={value}
            autoFocus
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="dialog-buttons">
          <button type="submit" class="primary" disabled={!value.trim()}>
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}

function App() {
  const url = useLocation();
  const [needsToken, setNeedsToken] = useState(false);
  const [generation, setGeneration] = useState(0);
  const role = useRole();
  useEffect(() => onUnauthorized(() => setNeedsToken(true)), []);
  const section = url.pathname.startsWith('/runs') ? 'runs' : 'workflows';
  return (
    <>
      <header class="top">
        <Link href="/" class="brand">
          <span aria-hidden="true">◆</span> Baton
        </Link>
        <nav>
          <Link href="/" class={section === 'workflows' ? 'active' : ''}>
            Workflows
          </Link>
          <Link href="/runs" class={section === 'runs' ? 'active' : ''}>
            Runs
          </Link>
          <a href="/api/docs">API</a>
        </nav>
        <div class="who">
          {role.name && (
            <span class="muted small">
              {role.subject ?? ''} ({role.name})
            </span>
          )}
          {token.get() ? (
            <button
              class="link"
              onClick={() => {
                token.clear();
                forgetRole();
                setNeedsToken(true);
              }}
            >
              Sign out
            </button>
          ) : (
            <button class="link" onClick={() => setNeedsToken(true)}>
              Sign in
            </button>
          )}
        </div>
      </header>
      <main key={generation}>
        <Route url={url} />
      </main>
      {needsToken && (
        <SignIn
          onDone={() => {
            setNeedsToken(false);
            setGeneration((g) => g + 1);
          }}
        />
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
