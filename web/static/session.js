// The session timeout warning (WCAG 2.2.1). Two minutes before the session
// ends, show the warning dialog the layout holds, with focus in it; "Stay
// signed in" extends the session in the background. When time runs out,
// go to the sign-in page, which says why. Without this script, every page
// says when the session ends, and links to the warning page (a timed
// refresh there would move people off the page they are reading).
//
// Times are counted from the seconds left when the page was made, not from
// the clock in the data, so a computer whose clock is wrong still warns on
// time. Before warning, and before giving up, the script asks the server:
// another tab may have kept the session alive.

const info = document.getElementById('app-session')
const dialog = document.getElementById('session-warning')
let timer
let endsAt = 0
let limited = false
let returnFocus = null

const warnBefore = () => Number(info.dataset.sessionWarnBefore) * 1000

// plan waits until two minutes before the end (at once if that has passed).
function plan (idleEndsIn, limitEndsIn) {
  limited = limitEndsIn <= idleEndsIn
  endsAt = Date.now() + Math.min(idleEndsIn, limitEndsIn) * 1000
  info.dataset.sessionEnds = new Date(endsAt).toISOString()
  const nearLimit = !limited && limitEndsIn < Number(info.dataset.sessionIdle)
  if (dialog) {
    for (const el of dialog.querySelectorAll('[data-session-show]')) {
      const show = el.dataset.sessionShow
      el.hidden = !(show === 'limit' ? limited : show === 'idle' ? !limited : nearLimit)
    }
  }
  clearTimeout(timer)
  timer = setTimeout(check, Math.max(endsAt - Date.now() - warnBefore(), 0))
}

// check asks the server how long is left, then warns, waits, or gives up.
async function check () {
  const times = await sessionTimes('GET')
  if (times === 'gone') return timeUp()
  if (times) {
    const left = Math.min(times.idle, times.limit) * 1000
    if (left > warnBefore()) {
      hide()
      return plan(times.idle, times.limit)
    }
    plan(times.idle, times.limit)
  }
  const left = endsAt - Date.now()
  if (left <= 0) return timeUp()
  clearTimeout(timer)
  timer = setTimeout(check, left + 1000)
  show()
}

// sessionTimes fetches the seconds left: null when the server cannot be
// reached, 'gone' when the session has ended.
async function sessionTimes (method, body) {
  let response
  try {
    response = await fetch('/account/session', {
      method,
      body,
      headers: { 'X-Requested-With': 'coproduce' },
      credentials: 'same-origin',
      redirect: 'manual' // signed out: the redirect to the sign-in page
    })
  } catch (err) {
    return null
  }
  if (response.type === 'opaqueredirect') return 'gone'
  if (response.status !== 204) return null
  return {
    idle: Number(response.headers.get('X-Session-Idle-Ends-In')),
    limit: Number(response.headers.get('X-Session-Limit-Ends-In'))
  }
}

function timeUp () {
  clearTimeout(timer)
  location.assign(limited ? info.dataset.sessionLimitUrl : info.dataset.sessionIdleUrl)
}

function show () {
  if (!dialog || dialog.open) return
  returnFocus = document.activeElement
  dialog.showModal()
  const first = dialog.querySelector('[data-session-show]:not([hidden]) button')
  if (first) first.focus()
}

function hide () {
  if (!dialog || !dialog.open) return
  dialog.close()
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus()
  returnFocus = null
}

async function stay () {
  const form = dialog.querySelector('form[data-session-stay]')
  const times = await sessionTimes('POST', new URLSearchParams(new FormData(form)))
  if (times === 'gone') return timeUp()
  if (!times) return form.submit() // fall back to the ordinary post
  hide()
  plan(times.idle, times.limit)
  const announce = document.getElementById('app-announce')
  if (announce) announce.textContent = info.dataset.sessionStayed
}

if (dialog) {
  dialog.addEventListener('submit', (event) => {
    if (!event.target.matches('form[data-session-stay]')) return // signing out
    event.preventDefault()
    stay()
  })
  dialog.addEventListener('click', (event) => {
    if (event.target.closest('[data-session-close]')) hide()
  })
  // Escape closes the warning and answers it as the main button would:
  // stay signed in, or, near the absolute limit, carry on until it.
  dialog.addEventListener('cancel', () => {
    if (!limited) stay()
  })
}

if (info) {
  plan(Number(info.dataset.sessionIdleEndsIn), Number(info.dataset.sessionLimitEndsIn))
  document.addEventListener('visibilitychange', () => {
    // Timers in hidden tabs run late; catch up when the tab is seen again.
    if (document.visibilityState === 'visible' && Date.now() >= endsAt - warnBefore()) check()
  })
}
