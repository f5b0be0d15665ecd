// styled.js - compare.css (web/build.mjs ON_DEMAND_STYLES), loaded with run
// B's parts rather than with the first page: Compare and Grow Ming import
// this module, whose evaluation waits until the sheet's rules apply, so
// neither ever shows unstyled (ShownRun.jsx loads the sheet with the run
// switch). A sheet that cannot be loaded fails their import, which says so
// (OnDemand.jsx NotLoaded).
import { loadStyle } from '../OnDemand.jsx';

await loadStyle('compare');
