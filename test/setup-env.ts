// CI runs the suite with CI=true. Ink reads CI once, when it is first imported, and then prints only
// its final frame; the screen tests need every frame, so the variable goes before anything imports Ink.
// (The CLI tests decide for themselves what their child processes see.)
delete process.env.CI;
