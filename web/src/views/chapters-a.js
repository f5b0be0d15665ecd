// Chapters 1-4 of the walk through the kitchen: [{n, id, title, Component}] in order.
export default [];
