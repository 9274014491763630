/**
 * The one plotting module: PNG image grids and Plotly charts, displayed in tslab.
 * Models, losses and trainers never plot; lessons call these.
 */
export * from "./display";
export * from "./image-grid";
export * from "./plotly";
export * from "./charts";
