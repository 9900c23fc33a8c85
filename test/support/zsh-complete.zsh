# Completes a command line in a real interactive zsh, driven through a pseudo-terminal (zsh/zpty), and
# appends every candidate the completion system offers to a file, one a line.
# Usage: zsh -f zsh-complete.zsh <completion script> <command line> <output file>
zmodload zsh/zpty
zpty session zsh -f -i
zpty -w session "autoload -U compinit && compinit -u -D && source ${(q)1}"
# Every candidate passes through compadd: record what it adds (-O lists the matches without adding).
zpty -w session "compadd() { local -a got; builtin compadd -O got \"\$@\"; print -rl -- \$got >> ${(q)3}; builtin compadd \"\$@\"; }"
# One widget completes and then says so: the marker comes from the same key press, after the
# completion is over, so nothing is typed ahead of it (zsh may skip work while input is pending).
zpty -w session "complete-and-mark() { zle complete-word; zle -M \"DONE-\$((6*7))\"; }; zle -N complete-and-mark; bindkey '^X^T' complete-and-mark"
zpty -w session "print -r -- READY-\$((6*7))"
zpty -r -m session line '*READY-42*'
zpty -n -w session "$2"$'\C-x\C-t'
zpty -r -m session line '*DONE-42*'
zpty -d session
