// Progressive enhancement only: every page works without this file.
import { initAll } from '/static/vendor/nhsuk-frontend.min.js'
import './session.js' // the session timeout warning

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()

// Forms marked data-enhance="update" (votes, comments) post in the
// background and the page's main content is refreshed in place, keeping
// focus where it was and announcing the result to screen readers.
document.addEventListener('submit', async (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || form.dataset.enhance !== 'update') return
  event.preventDefault()
  const button = form.querySelector('button[type=submit]')
  if (button) button.disabled = true
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { 'X-Requested-With': 'coproduce' },
      credentials: 'same-origin'
    })
    let html
    if (response.status === 204) {
      const next = response.headers.get('X-Location') || location.href
      html = await (await fetch(next, { credentials: 'same-origin' })).text()
      history.replaceState(null, '', next.split('#')[0])
    } else {
      html = await response.text()
    }
    replaceMain(html, form)
  } catch (err) {
    form.submit() // fall back to an ordinary post
  }
})

function replaceMain (html, form) {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const fresh = doc.querySelector('main')
  const main = document.querySelector('main')
  if (!fresh || !main) return
  const focusID = form.querySelector('button[type=submit]')?.dataset.testid
  main.replaceChildren(...fresh.childNodes)
  initAll({ scope: main })
  const notice = main.querySelector('[data-testid=notice], [data-testid=error-summary]')
  const announce = document.getElementById('app-announce')
  if (announce && notice) announce.textContent = notice.textContent.trim()
  const summary = main.querySelector('[data-testid=error-summary]')
  const target = summary || (focusID && main.querySelector(`[data-testid="${focusID}"]`))
  if (target) target.focus()
}

// A printable pack's "Print this page" button, and a letter's (data-print),
// shown only when they work: without JavaScript the page says to use the
// browser's Print.
for (const button of document.querySelectorAll('[data-app-print], button[data-print]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
