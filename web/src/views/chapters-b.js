// Chapters 5-8 and the wall of dials: [{n, id, title, Component}] in order.
export default [];
