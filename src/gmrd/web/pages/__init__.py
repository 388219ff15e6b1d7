"""Server-rendered pages, one module per page type; each route calls gmrd.db.queries and renders."""

from gmrd.web.pages import account, admin, browse, countries, estimates, home, survey, upload

routers = [account.router, home.router, countries.router, browse.router, estimates.router, upload.router,
           survey.router, admin.router]
