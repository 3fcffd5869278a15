from yejin.entry import console

console()
