// `npm run lint:deps`: the import rules that keep the code's shape (see README, "Where the code lives").
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: modules that cannot be understood, tested or moved one at a time.",
      from: {},
      to: { circular: true },
    },
    {
      name: "portal-not-on-tooling",
      severity: "error",
      comment: "lib/, app/, components/ and db/ are the portal; scripts/, test/ and bench/ are tooling around it and never part of it. Test files (*.test.ts) may use test/.",
      from: { path: "^(lib|app|components|db)/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^(scripts|test|bench)/" },
    },
    {
      name: "portal-tests-not-on-tooling",
      severity: "error",
      comment: "A test in lib/, app/, components/ or db/ may use test/, but not scripts/ or bench/.",
      from: { path: "^(lib|app|components|db)/.+\\.test\\.tsx?$" },
      to: { path: "^(scripts|bench)/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing (a moved file, or a package missing from package.json).",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules"] },
    exclude: { path: ["^node_modules/", "^\\.next[^/]*/", "^\\.data/", "^reports/", "^test-results/", "^next-env\\.d\\.ts$"] },
    // Type-only imports count too: a cycle through types is still a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
