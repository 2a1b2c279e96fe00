"""H5P learning games: packages, the player, xAPI results and server-side scoring.

Layout (see docs/architecture.md, "H5P"):
- models.py: installed libraries, packages, attempts, resume state, settings
- access.py: who may upload, install library code, play, see results
- spec.py, archive.py, svg.py, packages.py: validating and installing a `.h5p`
- builder.py, samples/: our own H5P libraries (written to the spec), packages
- files.py, player_views.py, games.py: serving package files, the confined
  player and a pupil's games page
- scoring/ (a module per question type), intake.py, selectors.py, grading.py,
  results_views.py: statements in, verified scores out, marks

Storage under MEDIA_ROOT (public by unguessable name; `files.py` sets headers):
  h5p/libraries/<machineName>-<major>.<minor>/  one copy of each library
  h5p/content/<package uuid>/h5p.json           the package's h5p.json
  h5p/content/<package uuid>/content/...        its content.json and media
A package's bundled library folders are never served from the package: only the
shared store is, and only administrators put new library code into it.
"""
