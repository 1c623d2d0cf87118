// The reset page: advisory checks while the user types (in a worker), the reset itself on submit
// (the server checks again and has the final say). The reset token arrives in the URL fragment,
// which browsers never send to a server, and is dropped from the address bar at once.
import type { CheckContext, Verdict } from '@pwguard/strength';

type Pending = { resolve: (v: Verdict) => void; reject: (e: Error) => void };

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const input = byId<HTMLInputElement>('password');
const submit = byId<HTMLButtonElement>('submit');
const statusLine = byId('status');
const reasons = byId<HTMLUListElement>('reasons');
const feedback = byId('feedback');
const meter = byId<HTMLMeterElement>('meter');
const result = byId('result');

const token = new URLSearchParams(location.hash.slice(1)).get('token');
history.replaceState(null, '', location.pathname);
let context: CheckContext = {};
let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/** The browser library's verdict for a password (advisory). Also what the tests call. */
export function check(password: string, ctx: CheckContext = context): Promise<Verdict> {
  worker ??= startWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker?.postMessage({ id, password, context: ctx });
  });
}

function startWorker(): Worker {
  const w = new Worker('/worker.js', { type: 'module' });
  w.onmessage = (e: MessageEvent<{ id: number; verdict?: Verdict; error?: string }>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (e.data.verdict) p?.resolve(e.data.verdict);
    else p?.reject(new Error(e.data.error ?? 'check failed'));
  };
  w.onerror = () => {
    for (const p of pending.values()) p.reject(new Error('the checker could not start'));
    pending.clear();
    worker = undefined;
  };
  return w;
}

function render(verdict: Verdict | null): void {
  reasons.replaceChildren(...(verdict?.reasons ?? []).map((r) => {
    const li = document.createElement('li');
    li.dataset.code = r.code;
    li.textContent = r.message;
    return li;
  }));
  meter.value = verdict?.score ?? 0;
  const tips = verdict ? [verdict.feedback.warning, ...verdict.feedback.suggestions].filter(Boolean) : [];
  feedback.textContent = tips.join(' ');
  statusLine.textContent = verdict === null ? '' : verdict.ok ? 'Looks good.' : verdict.enforced ? 'Not accepted yet:' : 'Accepted, with warnings:';
  submit.disabled = token === null || verdict === null || (!verdict.ok && verdict.enforced);
}

let typed = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
input.addEventListener('input', () => {
  clearTimeout(timer);
  const seq = ++typed;
  result.textContent = '';
  if (input.value === '') return render(null);
  submit.disabled = true;
  timer = setTimeout(() => {
    statusLine.textContent = 'Checking…';
    check(input.value).then(
      (v) => seq === typed && render(v),
      (err: Error) => {
        if (seq === typed) statusLine.textContent = `Could not check here (${err.message}); the server will check on submit.`;
        submit.disabled = token === null;
      },
    );
  }, 150);
});

byId<HTMLInputElement>('show').addEventListener('change', (e) => {
  input.type = (e.target as HTMLInputElement).checked ? 'text' : 'password';
});

byId<HTMLFormElement>('form').addEventListener('submit', (e) => {
  e.preventDefault();
  void reset();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function reset(): Promise<void> {
  submit.disabled = true;
  const { status, json } = await post('/api/reset', { token, password: input.value });
  if (status === 200) {
    result.textContent = 'Your password has been changed.';
    result.className = 'success';
    input.disabled = true;
    return;
  }
  result.className = 'error';
  if (status === 422) {
    render(json.verdict as Verdict);
    result.textContent = 'The server did not accept this password.';
  } else {
    result.textContent = String(json.error ?? `The reset failed (HTTP ${status}).`);
    submit.disabled = false;
  }
}

async function loadAccount(): Promise<void> {
  const account = byId('account');
  if (token === null) {
    account.textContent = 'Open this page from the reset link you were sent. You can try passwords here, but not change one.';
    return;
  }
  const { status, json } = await post('/api/reset/context', { token });
  if (status !== 200) {
    account.textContent = String(json.error ?? `This reset link does not work (HTTP ${status}).`);
    return;
  }
  context = json.context as CheckContext;
  account.textContent = `New password for ${context.user ?? 'your account'}.`;
}

(window as unknown as { pwguard: unknown }).pwguard = { check };
void loadAccount();
