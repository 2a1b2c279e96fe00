// The provider's own pages: sign-in form, logout confirmation, errors. Plain HTML,
// no external resources, labels in Russian and English.

export function escapeHtml(value) {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function layout(title, body) {
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#eef2f6;margin:0;padding:2rem}
main{max-width:24rem;margin:auto;background:#fff;padding:1.5rem 2rem;border-radius:8px}
label{display:block;margin-top:.75rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}.error{color:#a40000;font-weight:600}
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function loginPage({ uid, login = '', error = '' }) {
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return layout(
    'Городской аккаунт / City account',
    `<h1>Городской аккаунт / City account</h1>
${alert}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="login">Логин / Login</label>
<input id="login" name="login" value="${escapeHtml(login)}" required autofocus>
<label for="password">Пароль / Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Войти / Sign in</button>
</form>
<p><a href="/interaction/${escapeHtml(uid)}/abort">Отмена / Cancel</a></p>`,
  );
}

export function errorPage(error, description) {
  return layout(
    'Ошибка / Error',
    `<h1>Ошибка / Error</h1>
<p class="error" role="alert">${escapeHtml(error)}</p>
<p>${escapeHtml(description)}</p>`,
  );
}

// `form` comes from oidc-provider: a form with the action and its anti-forgery field.
export function logoutPage(form) {
  return layout(
    'Выход / Sign out',
    `<h1>Выйти из городского аккаунта? / Sign out of the city account?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Да, выйти / Yes, sign me out</button>
<button type="submit" form="op.logoutForm">Нет / No, stay signed in</button>`,
  );
}

export function loggedOutPage() {
  return layout(
    'Выход / Signed out',
    '<h1>Вы вышли / You are signed out</h1>',
  );
}
