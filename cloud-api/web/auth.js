// Operator sign-in for the page (docs/api.md, "Tokens"). The API tells whether it needs a token
// (GET /api/v1/healthz -> auth); if so the page logs in with POST /api/v1/auth/login, keeps the
// token in sessionStorage (this tab only, gone when it closes), sends it as a Bearer header on
// every request and as ?access_token= on the WebSocket. A 401 from the API, or the socket closed
// with 4401 (token expired), ends the session: the page goes back to the login form.

const TOKEN = 'rigstream.token'
const NOTICE = 'rigstream.notice'

export const session = {
  /** the API needs a token */
  authOn: false,
  /** the JWT, or null */
  token: sessionStorage.getItem(TOKEN),
  /** { username, tenant, role, expiresAt } when logged in */
  user: null,
  /** the worker's routes (predictions, alerts, ack) are served */
  predictions: false
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

export function authHeaders () {
  return session.token ? { authorization: `Bearer ${session.token}` } : {}
}

/** fetch with the token; a 401 while auth is on ends the session (the page goes back to the form). */
export async function api (url, opts = {}) {
  const r = await fetch(url, { ...opts, headers: { ...(opts.headers ?? {}), ...authHeaders() } })
  if (r.status === 401 && session.authOn) endSession(tokenExpired() ? 'Your session has expired. Log in again.' : 'Your session has ended. Log in again.')
  return r
}

/** true when the kept token's `exp` has passed (a 401 then means expiry, as the socket's 4401 does) */
function tokenExpired () {
  try {
    const part = session.token?.split('.')[1]
    if (!part) return false
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')))
    return typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()
  } catch { return false }
}

/** May this user change things (acknowledge alerts)? Everyone may when auth is off. */
export function canOperate () {
  return !session.authOn || session.user?.role === 'operator' || session.user?.role === 'admin'
}

/** May this user roll models out (the rollout page's form and buttons)? Everyone may when auth is off. */
export function isAdmin () {
  return !session.authOn || session.user?.role === 'admin'
}

/** The live socket's address, with the token when there is one. */
export function socketUrl () {
  // batch=1: messages of one server turn arrive as one array (cloud-api/src/live/client.ts)
  const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?batch=1`
  return session.token ? `${base}&access_token=${encodeURIComponent(session.token)}` : base
}

/**
 * Asks the API what it needs (retrying while it cannot be reached), then checks a kept token.
 * Resolves with true when the page may start (auth off, or a valid token), false when it must log in.
 */
export async function probe () {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await fetch('/api/v1/healthz')
      if (!r.ok) throw new Error(`healthz: HTTP ${r.status}`)
      const h = await r.json()
      session.authOn = h.auth === true
      session.predictions = h.predictions === true
      break
    } catch (err) {
      console.warn('API not reachable yet', String(err))
      await sleep(Math.min(10_000, 500 * 2 ** attempt))
    }
  }
  if (!session.authOn) return true
  if (!session.token) return false
  const r = await fetch('/api/v1/auth/me', { headers: authHeaders() })
  if (r.ok) { session.user = await r.json(); return true }
  forgetToken()
  return false
}

/** POST /auth/login; throws an Error with a message for the form. */
export async function login (username, password) {
  let r
  try {
    r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  } catch {
    throw new Error('The server cannot be reached. Try again in a moment.')
  }
  if (r.status === 401) throw new Error('Wrong username or password.')
  if (r.status === 429) throw new Error('Too many attempts. Wait a minute, then try again.')
  if (r.status === 400) throw new Error('Enter a username and a password.')
  if (!r.ok) throw new Error(`Login failed (HTTP ${r.status}).`)
  const body = await r.json()
  session.token = body.token
  sessionStorage.setItem(TOKEN, body.token)
  session.user = { ...body.user, expiresAt: body.expiresAt }
}

function forgetToken () {
  session.token = null
  session.user = null
  sessionStorage.removeItem(TOKEN)
}

let ending = false
/** Drops the token and reloads into the login form, which shows `why`. */
export function endSession (why) {
  if (ending) return
  ending = true
  forgetToken()
  if (why) sessionStorage.setItem(NOTICE, why)
  location.reload()
}

/** The message left by endSession for the form, once. */
export function takeNotice () {
  const n = sessionStorage.getItem(NOTICE)
  sessionStorage.removeItem(NOTICE)
  return n
}
